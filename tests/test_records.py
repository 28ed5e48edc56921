"""The shipped catalogue read as records: the models' fields exactly, models on request, and a
read path (the command line, the Sphinx extension) that imports neither pydantic nor PyYAML."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import fm_papers
from fm_papers import models
from fm_papers.built import built_text, from_built_text
from fm_papers.models import Domain, Paper, Venue
from fm_papers.records import (
    RECORDS,
    DomainRecord,
    LinkRecord,
    PaperRecord,
    Record,
    SourceRecord,
    built_data,
    replace,
)


def _plain(value: Any) -> Any:
    """A record or a model as nested plain data, field by field, in field order; a tuple is
    marked as one, and a list (which neither may hold) fails."""
    assert not isinstance(value, list | dict | set), f"a mutable value: {value!r}"
    if isinstance(value, tuple):
        return ("tuple", [_plain(item) for item in value])
    if isinstance(value, Record):
        return [(name, _plain(getattr(value, name))) for name in value.fields]
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        return [(name, _plain(getattr(value, name))) for name in fields]
    return value


def _shape(hint: Any) -> Any:
    """A type as records and models are compared: ``Annotated`` constraints dropped, unions
    and literals as sets, a record or a model by the model's name."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        return _shape(args[0])
    if origin in (typing.Union, types.UnionType):
        return ("union", frozenset(map(_shape, args)))
    if origin is typing.Literal:
        return ("literal", frozenset(args))
    if origin is not None:
        return (origin, tuple(_shape(arg) for arg in args))
    if isinstance(hint, type) and issubclass(hint, Record):
        return ("model", hint.stands_for)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return ("model", hint.__name__)
    return hint


def _model_of(record: type[Record]) -> type[BaseModel]:
    model = getattr(models, record.stands_for, None)
    assert isinstance(model, type) and issubclass(model, BaseModel), record
    return model


@pytest.mark.parametrize("record", list(RECORDS.values()), ids=lambda r: r.__name__)
def test_each_record_has_its_models_fields(record: type[Record]) -> None:
    """Names and order, defaults, what is required, and types, all alike."""
    model = _model_of(record)
    assert record.fields == tuple(model.model_fields)
    defaults = {
        name: field.get_default(call_default_factory=True)
        for name, field in model.model_fields.items()
        if not field.is_required()
    }
    assert {name: getattr(record, name) for name in defaults} == defaults
    assert record._required == {n for n, f in model.model_fields.items() if f.is_required()}
    hints = typing.get_type_hints(record)
    for name, field in model.model_fields.items():
        assert _shape(hints[name]) == _shape(field.annotation), (record.__name__, name)


def _models_inside(hint: Any, seen: set[type] | None = None) -> set[type]:
    """The models a type is or holds, at any depth."""
    seen = set() if seen is None else seen
    for arg in typing.get_args(hint):
        _models_inside(arg, seen)
    if isinstance(hint, type) and issubclass(hint, BaseModel) and hint not in seen:
        seen.add(hint)
        for field in hint.model_fields.values():
            _models_inside(field.annotation, seen)
    return seen


def test_every_model_the_catalogue_holds_has_a_record() -> None:
    """A model a paper, a domain or a venue holds, at any depth, needs a record registered
    for it: the shipped data is read as records."""
    held = {m.__name__ for top in (Paper, Domain, Venue) for m in _models_inside(top)}
    assert held == set(RECORDS), "a model without a record, or a record without a model"


def test_a_record_class_names_its_model_once() -> None:
    registered = dict(RECORDS)
    with pytest.raises(TypeError, match="name the model it stands for"):

        class Nameless(Record):  # what this test tests
            text: str

    with pytest.raises(TypeError, match="LinkRecord stands for Link already"):

        class Twin(Record, stands_for="Link"):
            text: str

    assert registered == RECORDS


def test_a_records_built_form_is_converted_by_its_annotations() -> None:
    raw = {
        "id": "a",
        "aliases": ["b"],
        "title": "A",
        "links": [{"kind": "paper", "url": "https://example.org/a"}],
        "notes": ["one", "two"],
        "memberships": [{"domain": "d", "section": "s"}],
        "flags": [{"kind": "missing-year", "message": "m", "related": ["x"]}],
        "sources": [{"file": "f.md", "line": 3}],
    }
    record = PaperRecord.from_data(raw)
    assert (record.aliases, record.notes, record.flags[0].related) == (
        ("b",),
        ("one", "two"),
        ("x",),
    )
    assert isinstance(record.links[0], LinkRecord) and isinstance(record.sources[0], SourceRecord)
    assert _plain(record) == _plain(Paper.model_validate(raw))
    hash(record)
    section = {
        "key": "s",
        "title": "S",
        "sections": [{"key": "t", "title": "T", "headings": ["h"]}],
    }
    domain = DomainRecord.from_data({"key": "d", "title": "D", "sections": [section]})
    assert domain.sections[0].sections[0].headings == ("h",)
    assert _plain(domain) == _plain(
        Domain.model_validate({"key": "d", "title": "D", "sections": [section]})
    )


def test_the_shipped_records_are_the_validated_entries(fresh_cache: None) -> None:
    trusted, verified = fm_papers.load(), fm_papers.load(verify=True)
    records = [trusted.record(paper_id) for paper_id in trusted.ids()]
    assert all(isinstance(r, PaperRecord) for r in records)
    assert [_plain(r) for r in records] == [_plain(p) for p in verified.papers]
    assert _plain(trusted.taxonomy.domains) == _plain(verified.taxonomy.domains)
    assert _plain(trusted.venues.venues) == _plain(verified.venues.venues)
    # Every property the models derive, the records derive alike.
    for record, model in zip(records, verified.papers, strict=True):
        for name in ("url", "code_urls", "has_code", "domains", "sections", "short_name"):
            assert getattr(record, name) == getattr(model, name), (record.id, name)


def test_the_typed_api_hands_out_models_made_once() -> None:
    catalogue = fm_papers.load()
    paper = catalogue.get("scgpt")
    assert isinstance(paper, Paper)
    assert paper is catalogue.get("scGPT") is catalogue.papers[catalogue.ids().index("scgpt")]
    assert paper == Paper.from_record(catalogue.record("scgpt"))
    assert all(isinstance(p, Paper) for p in catalogue.query(domain="pathology"))
    assert [p.id for p in catalogue.query(domain="pathology")] == [
        r.id for r in catalogue.records(domain="pathology")
    ]
    assert all(isinstance(p, Paper) for p in catalogue)
    assert paper.model_dump(mode="json")["id"] == "scgpt"


def test_records_are_read_only_and_compare_by_value() -> None:
    raw = {
        "id": "a",
        "title": "A",
        "links": [{"kind": "paper", "url": "https://example.org/a"}],
        "memberships": [{"domain": "d", "section": "s"}],
    }
    record = PaperRecord.from_data(raw)
    with pytest.raises(AttributeError, match="read-only"):
        record.title = "B"  # what this test tests
    assert record == PaperRecord.from_data(raw)
    assert hash(record) == hash(PaperRecord.from_data(raw))
    with pytest.raises(AttributeError, match="read-only"):
        del record.title
    assert repr(record.links[0]) == "LinkRecord(kind='paper', url='https://example.org/a')"
    changed = replace(record, title="B")
    assert (changed.title, record.title, changed.links) == ("B", "A", record.links)
    assert changed != record
    with pytest.raises(TypeError, match="unknown \\['colour'\\], missing \\[\\]"):
        PaperRecord(**{**raw, "colour": "red"})
    with pytest.raises(TypeError, match="missing \\['title'\\]"):
        PaperRecord.from_data({k: v for k, v in raw.items() if k != "title"})


def test_an_overlay_extends_and_overrides_shipped_records(tmp_path: Path) -> None:
    """An overlay's changes to a shipped paper merge with its record as with a model: a
    membership it already has is not repeated."""
    shipped = fm_papers.load()
    scgpt = shipped.record("scgpt")
    uni = shipped.record("uni")
    existing = scgpt.memberships[0]
    overlay = tmp_path / "lab.yaml"
    overlay.write_text(
        textwrap.dedent(
            f"""\
            domains:
              - key: pathology
                title: ignored, the shipped title stays
                sections:
                  - key: lab-picks
                    title: Lab picks
            papers:
              - id: scGPT
                extend: true
                memberships:
                  - {{domain: {existing.domain}, section: {existing.section}}}
                  - {{domain: pathology, section: lab-picks}}
                notes: [read in the lab]
              - id: uni
                override: true
                title: {uni.title} (the lab's copy)
                links: [{{kind: paper, url: "{uni.url}"}}]
                memberships: [{{domain: pathology, section: lab-picks}}]
            """
        ),
        encoding="utf-8",
    )
    catalogue = fm_papers.load([overlay])
    extended = catalogue.get("scgpt")
    assert extended.memberships == (
        *Paper.from_record(scgpt).memberships,
        *catalogue.get("uni").memberships,
    )
    assert extended.notes == (*scgpt.notes, "read in the lab")
    assert catalogue.get("uni").title == f"{uni.title} (the lab's copy)"
    assert [p.id for p in catalogue.query(section="lab-picks")] == ["scgpt", "uni"]
    pathology = catalogue.taxonomy.domain("pathology")
    assert pathology.title == shipped.taxonomy.domain("pathology").title
    assert len(catalogue) == len(shipped)
    # The merged domain is a model all the way down (its shipped sections were records), so
    # it dumps, and the catalogue's built form reads back equal.
    assert {type(s).__name__ for s, _ in pathology.sections[0].walk()} == {"Section"}
    assert pathology.model_dump(mode="json")["sections"][-1]["key"] == "lab-picks"  # type: ignore[union-attr]
    again = from_built_text(built_text(catalogue), catalogue.files)
    assert again is not None and again.papers == catalogue.papers
    assert _plain(again.taxonomy.domains) == _plain(catalogue.taxonomy.domains)


_IMPORTED = "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'yaml'}))"


def test_read_commands_import_neither_pydantic_nor_yaml() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from fm_papers.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    for argv in (['list', '--domain', 'pathology'], ['show', 'scgpt'],\n"
        "                 ['search', 'whole', 'slide'], ['stats'], ['sections'],\n"
        "                 ['list', '--format', 'bibtex'], ['list', '--format', 'csv']):\n"
        "        assert main(argv) == 0, argv\n" + _IMPORTED
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "[]", "")


def test_models_and_validation_are_imported_when_asked_for() -> None:
    code = (
        "import sys, fm_papers\n"
        "fm_papers.load().get('scgpt')\n"
        "print('pydantic' in sys.modules, 'fm_papers.validation' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout.strip()) == (0, "True False")


def test_a_sphinx_build_without_overlays_imports_neither(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["fm_papers.sphinxext"]\n', encoding="utf-8")
    (source / "index.rst").write_text(
        "Tiny\n====\n\nCiting :fm-paper:`scgpt`.\n\n"
        ".. fm-papers::\n   :domain: pathology\n   :limit: 11\n\n"
        ".. fm-papers-stats::\n   :domain: pathology\n",
        encoding="utf-8",
    )
    code = (
        "import sys\nfrom sphinx.cmd.build import main\n"
        f"args = ['-q', '-W', '-b', 'html', {str(source)!r}, {str(tmp_path / 'out')!r}]\n"
        "assert main(args) == 0\n" + _IMPORTED
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "[]", "")
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<tr class="fm-papers-item[^"]*" id="fm-paper-([^"]+)"', html)
    from fm_papers.sphinxext.config import OPTIONS

    # In the directive's default order: the default of fm_papers_sort.
    (sort,) = [option.default for option in OPTIONS if option.name == "fm_papers_sort"]
    expected = fm_papers.load().records(domain="pathology", limit=11, sort=sort)
    assert shown == [p.id for p in expected]
    assert len(shown) == 11


def test_a_catalogue_reads_back_from_its_built_form(tmp_path: Path) -> None:
    overlay = tmp_path / "lab.yaml"
    overlay.write_text(
        "domains:\n  - key: lab\n    title: Lab\n    sections: [{key: picks, title: Picks}]\n"
        "venues:\n  - {name: Lab Notes, kind: other, aliases: [LN]}\n"
        "papers:\n  - id: lab-one\n    title: One\n    venue: LN\n"
        "    links: [{kind: paper, url: 'https://example.org/1'}]\n"
        "    memberships: [{domain: lab, section: picks}]\n",
        encoding="utf-8",
    )
    catalogue = fm_papers.load([overlay])
    again = from_built_text(built_text(catalogue), catalogue.files)
    assert again is not None
    assert again.papers == catalogue.papers
    assert all(isinstance(again.record(i), PaperRecord) for i in again.ids())
    assert again.get("lab-one").venue == "Lab Notes"  # normalised when it was validated
    assert _plain(again.taxonomy.domains) == _plain(catalogue.taxonomy.domains)
    assert _plain(again.venues.venues) == _plain(catalogue.venues.venues)
    assert again.files == catalogue.files
    for broken in ("", "[]", '{"papers": [{"id": "x"}], "domains": [], "venues": []}'):
        assert from_built_text(broken) is None


def test_a_rebuild_with_the_same_overlay_imports_neither(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        'extensions = ["fm_papers.sphinxext"]\nfm_papers_extra_files = ["lab.yaml"]\n',
        encoding="utf-8",
    )
    (source / "lab.yaml").write_text(
        "papers:\n  - id: lab-one\n    title: One\n"
        "    links: [{kind: paper, url: 'https://example.org/1'}]\n"
        "    memberships: [{domain: pathology, section: segmentation}]\n",
        encoding="utf-8",
    )
    (source / "index.rst").write_text(
        "Tiny\n====\n\n.. fm-papers::\n   :ids: lab-one, scgpt\n", encoding="utf-8"
    )
    code = (
        "import sys\nfrom sphinx.cmd.build import main\n"
        f"args = ['-q', '-W', '-E', '-b', 'html', {str(source)!r}, {str(tmp_path / 'out')!r}]\n"
        "assert main(args) == 0\n" + _IMPORTED
    )
    printed = []
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert (result.returncode, result.stderr) == (0, "")
        printed.append(result.stdout.strip())
    assert printed == ["['pydantic', 'yaml']", "[]"]
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    # Without :sort:, :ids: keep their order, as in the Python API and on the command line.
    assert re.findall(r'id="fm-paper-([^"]+)"', html) == ["lab-one", "scgpt"]


def test_the_built_form_of_a_record_is_its_models_dump() -> None:
    catalogue = fm_papers.load()
    held: list[Any] = [catalogue.record(i) for i in catalogue.ids()]
    held += [*catalogue.taxonomy.domains, *catalogue.venues.venues]
    for record in held:
        model = _model_of(type(record)).from_record(record)  # type: ignore[attr-defined]
        assert built_data(record) == model.model_dump(mode="json", exclude_defaults=True)
        assert type(record).from_data(built_data(record)) == record
    assert built_data(("a", 1, None)) == ["a", 1, None]


def _values(value: Any) -> list[Any]:
    """Every value inside a record, at any depth."""
    if isinstance(value, tuple):
        return [v for item in value for v in [item, *_values(item)]]
    if isinstance(value, Record):
        found = [getattr(value, name) for name in value.fields]
        return [v for item in found for v in [item, *_values(item)]]
    return []


def test_every_shipped_record_hashes() -> None:
    """Lists of the built JSON become tuples at every depth: a record is immutable and
    hashable, as its model is."""
    catalogue = fm_papers.load()
    held: list[Any] = [catalogue.record(i) for i in catalogue.ids()]
    held += [*catalogue.taxonomy.domains, *catalogue.venues.venues]
    for record in held:
        assert not [v for v in _values(record) if isinstance(v, list | dict | set)], record
        hash(record)
