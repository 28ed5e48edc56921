"""Short names, kinds, title keys and id slugs: what a paper is called, each by a stated rule.

A paper's short name (:func:`name_from_title`, :func:`name_from_repository`), in order:

1. the source's bold tag (``[**scGPT**]``, read by the importer);
2. the title's lead-in before ``": "`` when it is one word or a word and a number
   (``scGPT: …``, ``VIRCHOW 2: …``) and not a word for the kind of text (``Review: …``);
   else its first word when that word is coined, with a capital after a lowercase letter
   (``scmFormer Integrates …``); else a coined name the title introduces at its end
   (``… with STATE``, ``… with HistoGPT``) or an acronym it spells out in parentheses
   (``Single Cell Foundation Models Evaluation (scFME)``). A molecular-biology term
   (``scRNA-seq``, ``mRNA``, ``iPSC``), a compound adjective (``scRNA-seq-based``,
   ``iPSC-derived``) or a general tool (``LLMs``, ``GPT-4``) is not a name;
3. the name of the code or weights repository the paper links to (``github.com/mahmoodlab/UNI``
   → ``UNI``), when it is a name: not a generic word (``code``, ``main``…), a lab or a site
   (``…lab``, ``….github.io``), nor a description (three or more parts, two of them ordinary
   words: ``benchmark-ssl-pathology``, ``MedicalMultitaskModeling``).

A name from an all-capitals title (``VIRCHOW 2``) takes its letter case from a linked
repository spelt with the same letters (``Virchow2``).

A paper's kind (:func:`kind_from_title`): ``survey`` when the title calls it a survey, review,
overview or perspective; ``benchmark`` when it benchmarks, evaluates or assesses, or compares
against baselines; ``dataset`` when it presents image-text pairs or opens its description with
"a … dataset" (or corpus). Otherwise a paper has the kind of the first section the sources
list it under (the taxonomy's ``kind``).

The rules that read identifiers off links (DOIs, repositories, venues) are in
:mod:`fm_papers.derive`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ..derive import repository
from ..kinds import compact, kind_from_title

__all__ = [
    "EDITORIAL_WORDS",
    "STOPWORDS",
    "compact",
    "issue_ids",
    "kind_from_title",
    "model_from_title",
    "name_from_repository",
    "name_from_title",
    "normalise_title",
    "significant_words",
    "slug",
]

_LEAD_IN = re.compile(r"^(?P<lead>[^\s:]+(?: \d+)?): ")

# Names -------------------------------------------------------------------------------------

#: Repository names that say nothing about which paper they belong to.
GENERIC_REPOSITORY_NAMES = frozenset(
    [
        "code",
        "codes",
        "main",
        "master",
        "src",
        "source",
        "sources",
        "release",
        "releases",
        "official",
        "demo",
        "demos",
        "model",
        "models",
        "weights",
        "checkpoint",
        "checkpoints",
        "repo",
        "repository",
        "project",
        "paper",
        "papers",
        "implementation",
        "pytorch",
        "tensorflow",
        "torch",
        "jax",
        "notebook",
        "notebooks",
        "tutorial",
        "tutorials",
        "docs",
        "doc",
        "website",
        "page",
        "home",
        "www",
        "data",
        "dataset",
        "datasets",
        "benchmark",
        "benchmarks",
        "pipeline",
        "tools",
        "toolkit",
        "utils",
        "scripts",
        "experiments",
        "supplementary",
        "public",
        "app",
    ]
)
_LAB = re.compile(r"(?i)(?:^|[-_])?lab\d*$|^lab[-_]")
_PARTS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+(?:\.\d+)?[A-Za-z]*")
_ORDINARY_WORD = re.compile(r"^[A-Za-z][a-z]{3,}$")
# Molecular-biology terms spelt like coined names: scRNA-seq, mRNA, iPSC, eQTL...
_TERM = re.compile(
    r"^(?:[a-z]{1,3}(?:RNA|DNA)s?(?:-seq)?|[a-z]{1,2}[A-Z]{2,5}-seq|iPSCs?|hESCs?|eQTLs?|qPCR|"
    r"mAbs?|eGFP|pH|scATAC|scRNA|snRNA)$"
)
_INTRODUCED = re.compile(r"\bwith (?P<name>[^\s,;:()]+)$")
#: A lead-in that labels the kind of text rather than naming anything (``Review: …``).
EDITORIAL_WORDS = frozenset(
    [
        "abstract",
        "addendum",
        "benchmark",
        "benchmarking",
        "comment",
        "commentary",
        "correction",
        "corrigendum",
        "editorial",
        "erratum",
        "highlights",
        "introduction",
        "letter",
        "news",
        "opinion",
        "overview",
        "perspective",
        "preface",
        "preprint",
        "primer",
        "retraction",
        "review",
        "survey",
        "tutorial",
        "viewpoint",
    ]
)
# Names of general tools a title may say it uses, which name no one paper: "with LLMs".
_GENERAL_TOOL = re.compile(
    r"^(?:(?:M?LLM|VLM|LMM|ViT|CNN|GNN|GAN|VAE|RNN|LSTM|NLP|AI|ML)s?|ChatGPT|GPT(?:-?\d[\w.]*)?|"
    r"BERT|CLIP|SAM)$"
)
# A compound adjective, not a name: scRNA-seq-based, LLM-guided, iPSC-derived.
_ADJECTIVE = re.compile(
    r"(?i)-(?:based|derived|guided|driven|specific|level|wide|like|informed|aware|resolved|"
    r"scale|free|enhanced|powered|assisted|enabled|centric|oriented)$"
)
_DEFINED = re.compile(r"\((?P<name>[^\s()]+)\)")


def _parts(word: str) -> list[str]:
    """A word split at ``-``, ``_``, ``.``, spaces and changes of case (``PathDino`` → 2)."""
    return _PARTS.findall(word)


def _coined(word: str) -> bool:
    """A word written as a name rather than an ordinary word: a capital after a lowercase
    letter (``scmFormer``, ``HistoGPT``), letters beside digits (``Cell2Sentence``), or two or
    more capitals (``STATE``, ``CINEMA-OT``)."""
    letters = re.sub(r"[^A-Za-z]", "", word)
    if len(letters) < 2:
        return False
    inner_capital = re.search(r"[a-z][A-Z]", word) is not None
    digits = re.search(r"[A-Za-z]\d|\d[A-Za-z]", word) is not None
    capitals = sum(c.isupper() for c in letters) >= 2
    return inner_capital or digits or capitals


def _may_name(word: str) -> bool:
    """Whether a coined-looking word may be a paper's name: not a molecular-biology term, a
    compound adjective or a general tool."""
    return not (_TERM.match(word) or _ADJECTIVE.search(word) or _GENERAL_TOOL.match(word))


def model_from_title(title: str) -> str | None:
    """A title's lead-in when it is one word, or one word and a number (``VIRCHOW 2``)."""
    match = _LEAD_IN.match(title)
    return match["lead"] if match else None


def name_from_title(title: str) -> str | None:
    """The short name a title gives, by rule 2 of the module docstring, or ``None``."""
    lead = model_from_title(title)
    if lead is not None and lead.casefold() not in EDITORIAL_WORDS and _may_name(lead):
        return lead
    if title.upper() == title:
        return None  # in an all-capitals title every word looks coined
    first = title.split(" ", 1)[0].strip(",;")
    if lead is None and " " in title and re.search(r"[a-z][A-Z]", first) and _may_name(first):
        return first
    # A sentence's full stop is not part of the name (stripped here, not by the pattern,
    # which would then backtrack over a run of dots).
    introduced = _INTRODUCED.search(title.rstrip(".!?"))
    if introduced and _coined(introduced["name"]) and _may_name(introduced["name"]):
        return introduced["name"]
    last = 0
    for defined in _DEFINED.finditer(title):
        # The words before the parenthesis, back to the previous one: found by slicing, as
        # a pattern for them would backtrack over long titles.
        before = title[last : defined.start()]
        before = before[max(before.rfind("("), before.rfind(")")) + 1 :]
        last = defined.end()
        name = defined["name"]
        letters = re.sub(r"[^a-z]", "", name.lower())
        words = re.split(r"[\s-]+", before.strip())
        initials = "".join(w[0] for w in words[-len(letters) :] if w).lower()
        if _coined(name) and len(letters) >= 2 and initials == letters and _may_name(name):
            return name
    return None


def name_from_repository(url: str) -> str | None:
    """The name of the repository a code or weights link points to, when it is a name.

    Rule 3 of the module docstring; a repository shared by several papers is not a name of
    any one of them, which only the caller can tell.
    """
    found = repository(url)
    if found is None:
        return None
    name = found[1]
    parts = _parts(name)
    if (
        not re.search(r"[A-Za-z]", name)
        or name.casefold() in GENERIC_REPOSITORY_NAMES
        or _LAB.search(name)
        or name.casefold().endswith((".github.io", ".io", ".com", ".org"))
        or len(name) > 40
    ):
        return None
    if len(parts) >= 3 and sum(bool(_ORDINARY_WORD.match(p)) for p in parts) >= 2:
        return None  # a description: benchmark-ssl-pathology, MedicalMultitaskModeling
    return name


# Kinds ------------------------------------------------------------------------------------

# Titles and slugs --------------------------------------------------------------------------


def normalise_title(title: str) -> str:
    """The key two spellings of one title share: case, dashes and spacing folded."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


#: Words an id made of a title's words leaves out.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "the",
        "to",
        "via",
        "with",
        "toward",
        "towards",
    ]
)


def significant_words(text: str) -> list[str]:
    """The lowercase ``a-z0-9`` words of ``text`` that are not stop words."""
    return [t for t in slug(text).split("-") if t and t not in STOPWORDS]


def slug(text: str, *, words: int | None = None) -> str:
    """A lowercase ``a-z0-9-`` slug of ``text``; with ``words``, of its first significant words."""
    dashed = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    ascii_text = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode()
    tokens = [t for t in re.split(r"[^a-z0-9]+", ascii_text.lower()) if t]
    if words is not None:
        tokens = [t for t in tokens if t not in STOPWORDS][:words]
    return "-".join(tokens)


def issue_ids(entries: Sequence[Mapping[str, Any]], taken: set[str]) -> list[str]:
    """New ids for new papers (entries with ``title``, ``model`` and ``year``), in order.

    A named paper's id is its name's slug, else with the year; an unnamed one's, its title's
    first significant words (three, or as many as it takes to differ from every other
    unnamed new paper's first words) and the year, longer until unused. None is ``taken``
    or a plural twin of a taken one (``models`` and ``model`` agree); a number ends a clash
    nothing else resolves.
    """
    taken_keys = {_twin_key(name) for name in taken}
    words = [significant_words(e["title"]) or ["paper"] for e in entries]
    unnamed = [w for w, e in zip(words, entries, strict=True) if not e.get("model")]
    # How many unnamed new papers open with each run of words, by the run's length.
    openings: dict[int, Counter[tuple[str, ...]]] = {}

    def shared(run: Sequence[str]) -> bool:
        if len(run) not in openings:
            openings[len(run)] = Counter(_fold(w[: len(run)]) for w in unnamed)
        return openings[len(run)][_fold(run)] > 1

    ids: list[str] = []
    for position, entry in enumerate(entries):
        suffix = f"-{entry['year']}" if entry.get("year") else ""
        if entry.get("model"):
            base = slug(entry["model"]) or "paper"
            candidates = [base, base + suffix]
        else:
            own = words[position]
            size = 3
            while size < len(own) and shared(own[:size]):
                size += 1
            candidates = ["-".join(own[:n]) + suffix for n in range(size, max(size, len(own)) + 1)]
        chosen = next((c for c in candidates if _twin_key(c) not in taken_keys), None)
        number = 2
        while chosen is None:
            candidate = f"{candidates[-1]}-{number}"
            chosen = candidate if _twin_key(candidate) not in taken_keys else None
            number += 1
        ids.append(chosen)
        taken_keys.add(_twin_key(chosen))
    return ids


def _fold(words: Sequence[str]) -> tuple[str, ...]:
    """Words with a plural ``s`` taken off, so ``models`` and ``model`` agree."""
    return tuple(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)


def _twin_key(paper_id: str) -> str:
    return "-".join(_fold(paper_id.lower().split("-")))
