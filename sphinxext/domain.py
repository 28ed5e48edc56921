"""The ``fm-papers`` domain: which pages show or cite which papers, and which must be read again.

What pages contribute (rows shown, papers cited, pages that need the stylesheet) lives in
:class:`FmPapersDomain`'s data, purged per document and merged after parallel reads. The
``env-get-outdated`` handler (:func:`outdated_pages`) marks the pages that show papers when
the data or the settings changed, and has :mod:`.state` load the catalogue only when pages
are about to be read.

Each paper shown on some page is an object of the domain (type ``paper``), listed in
``objects.inv`` under its id with the citation's text as display name ("scGPT (2024)"), at
the row a citation from another page links to. So other projects reach it with intersphinx
(``:external+lab:fm-papers:paper:`scgpt```) and ``:any:`scgpt``` finds it. Objects are
registered, not shown: their search priority is -1, like ``std:label``, so the HTML search
lists none of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from .config import settings
from .render import one_page_anchor
from .role import PaperRole, cite_text
from .state import data_files, digest, forget, load_catalogue, loaded, note_check

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.roles import XRefRole
    from sphinx.util.typing import RoleFunction

__all__ = ["FmPapersDomain", "outdated_pages", "setup_domain"]

logger = logging.getLogger(__name__)


def setup_domain(app: Sphinx) -> None:
    """Register the domain and the handlers that load data and find outdated pages."""
    app.add_domain(FmPapersDomain)
    app.connect("builder-inited", _note_confdir)
    app.connect("env-get-outdated", outdated_pages)
    app.connect("doctree-read", note_any_references)
    app.connect("env-get-updated", retarget_citations)


def _note_confdir(app: Sphinx) -> None:
    """Where overlay paths start from, for any load before ``env-get-outdated``."""
    note_check(app.env, Path(app.confdir), "reloaded")


def outdated_pages(
    app: Sphinx,
    env: BuildEnvironment,
    added: AbstractSet[str],
    changed: AbstractSet[str],
    removed: AbstractSet[str],
) -> list[str]:
    """Pages showing papers are outdated if the config changed; load the data if pages are read.

    A page is also outdated when the data files' content differs from what it was read
    with: modification times alone miss a file moved away and back, or restored from a
    backup. Hashing the files and the settings is cheap; parsing and validating the
    catalogue is not, so a build that reads no page (a no-op rebuild) does not load it.
    """
    config = settings(env.config)
    files = data_files(config, Path(app.confdir))
    domain = FmPapersDomain.of(env)
    data_digest = digest(files)
    status = "cached" if domain.data["digest"] == data_digest else "reloaded"
    found = note_check(env, Path(app.confdir), status, data_digest)
    domain.data["digest"] = data_digest
    fingerprint = config.fingerprint()
    previous = domain.data["config"]
    domain.data["config"] = fingerprint
    outdated: set[str] = set()
    if previous is not None and previous != fingerprint:
        outdated |= set(domain.users)
    outdated |= {page for page, read in domain.read_with.items() if read != data_digest}
    outdated -= set(removed)
    forget(env)
    if added or changed or outdated:
        load_catalogue(env, found)  # before reading, so that forked parallel readers inherit it
    else:
        logger.info("fm-papers: %d data files (%s); no page to read", len(files), status)
    return sorted(outdated)


def note_any_references(app: Sphinx, doctree: nodes.document) -> None:
    """Record the targets of a page's ``:any:`` references as citations: one may name a paper,
    whose row (or text) can change while the page itself is not read again."""
    domain = FmPapersDomain.of(app.env)
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("reftype") == "any":
            domain.note_cite(app.env.docname, node["reftarget"])


def retarget_citations(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose citations now point at another page's row, or show another text, so must
    be written again."""
    domain = FmPapersDomain.of(env)
    stale: set[str] = set()
    for docname, ids in domain.cites.items():
        resolved = domain.resolved.setdefault(docname, {})
        for paper_id in ids:
            target = domain.row_of(paper_id, docname)
            name = domain.names.get(paper_id, "")
            now = [*target, name] if target is not None else None
            if resolved.get(paper_id, now) != now:
                stale.add(docname)
            resolved[paper_id] = now
    return sorted(stale)


def _cited(
    env: BuildEnvironment,
    fromdocname: str,
    builder: Builder,
    target: str,
    node: pending_xref,
    contnode: nodes.Element,
) -> bool:
    """Whether sphinxcontrib-bibtex's domain finds ``target`` too (a paper also cited with
    ``{cite}``): ``:any:`` then reaches that citation alone, rather than two targets."""
    if "cite" not in env.domains:
        return False
    cite = env.get_domain("cite")
    return bool(cite.resolve_any_xref(env, fromdocname, builder, target, node, contnode))


class FmPapersDomain(Domain):
    """Where papers are shown and cited, so that citations link to a row on some page.

    One rule places a paper: its row on the citing page if shown there, else its first row
    on the first page by name (:meth:`row_of`). Citations, ``:any:`` and ``objects.inv``
    all follow it.
    """

    name = "fm-papers"
    label = "fm-papers"
    object_types: ClassVar[dict[str, ObjType]] = {"paper": ObjType("paper", "paper")}
    roles: ClassVar[dict[str, RoleFunction | XRefRole]] = {"paper": PaperRole()}
    data_version = 7  # bumped with the extension's env_version
    initial_data: ClassVar[dict[str, Any]] = {  # Sphinx deep-copies it per environment
        "users": {},  # docname -> True: pages that read the catalogue
        "read_with": {},  # docname -> digest of the data files the page was read with
        "assets": {},  # docname -> True: pages that need the stylesheet
        "scripts": {},  # docname -> True: pages with a block the browser script enhances
        "rows": {},  # paper id -> {docname: anchor}
        "homes": {},  # paper id -> {docname: [anchor, line]}: rows of blocks marked :home:
        "names": {},  # paper id -> display name of its object, for each id in rows
        "cites": {},  # docname -> [paper ids]
        "resolved": {},  # docname -> {paper id: [docname, anchor, text] it linked to, or None}
        "digest": None,  # the data files' digest, as the last build found them
        "config": None,  # the settings' fingerprint, as the last build found them
    }

    @classmethod
    def of(cls, env: BuildEnvironment) -> FmPapersDomain:
        """The domain of a build."""
        domain = env.domains[cls.name]
        assert isinstance(domain, cls)
        return domain

    @property
    def users(self) -> dict[str, bool]:
        """Pages that read the catalogue."""
        return cast("dict[str, bool]", self.data["users"])

    @property
    def read_with(self) -> dict[str, str]:
        """For each page that read the catalogue, the digest of the data it was read with."""
        return cast("dict[str, str]", self.data["read_with"])

    @property
    def assets(self) -> dict[str, bool]:
        """Pages that need the fm-papers stylesheet."""
        return cast("dict[str, bool]", self.data["assets"])

    @property
    def scripts(self) -> dict[str, bool]:
        """Pages with a searchable, sortable block: they get the browser script."""
        return cast("dict[str, bool]", self.data["scripts"])

    @property
    def rows(self) -> dict[str, dict[str, str]]:
        """For each paper id shown somewhere, the anchor of its first row on each page."""
        return cast("dict[str, dict[str, str]]", self.data["rows"])

    @property
    def homes(self) -> dict[str, dict[str, tuple[str, int]]]:
        """For each paper id shown in a block marked ``:home:``, per page, its row there and
        the block's line."""
        return cast("dict[str, dict[str, tuple[str, int]]]", self.data["homes"])

    @property
    def names(self) -> dict[str, str]:
        """For each paper id shown somewhere, what a citation shows: "scGPT (2024)"."""
        return cast("dict[str, str]", self.data["names"])

    @property
    def resolved(self) -> dict[str, dict[str, list[str] | None]]:
        """For each citing page, where each citation linked when the page was last written."""
        return cast("dict[str, dict[str, list[str] | None]]", self.data["resolved"])

    @property
    def cites(self) -> dict[str, list[str]]:
        """The paper ids each page cites, and the targets of its ``:any:`` references."""
        return cast("dict[str, list[str]]", self.data["cites"])

    def note_user(self, docname: str, *, assets: bool = False) -> None:
        """Record that ``docname`` reads the catalogue (and shows something styled)."""
        self.users[docname] = True
        self.read_with[docname] = self.data["digest"] or ""
        if assets:
            self.assets[docname] = True

    def note_script(self, docname: str) -> None:
        """Record that ``docname`` shows a block the browser script enhances."""
        self.scripts[docname] = True

    def note_rows(self, docname: str, anchors: dict[str, str]) -> None:
        """Record the rows a page shows: paper id -> anchor; the first one of a page wins.

        The papers' display names are kept too: ``objects.inv`` is written on every HTML
        build, and a build that reads no page must not load the catalogue to name them.
        """
        catalogue = loaded(self.env).catalogue
        for paper_id, anchor in anchors.items():
            self.rows.setdefault(paper_id, {}).setdefault(docname, anchor)
            if catalogue is not None:
                self.names[paper_id] = cite_text(catalogue.record(paper_id))

    def note_home(self, docname: str, line: int, anchors: dict[str, str]) -> None:
        """Record the rows of a block marked ``:home:`` (paper id -> anchor) at ``line``; the
        first block of a page wins."""
        for paper_id, anchor in anchors.items():
            self.homes.setdefault(paper_id, {}).setdefault(docname, (anchor, line))

    def note_cite(self, docname: str, paper_id: str) -> None:
        """Record that ``docname`` cites ``paper_id``."""
        cited = self.cites.setdefault(docname, [])
        if paper_id not in cited:
            cited.append(paper_id)

    def row_of(self, paper_id: str, fromdocname: str | None = None) -> tuple[str, str] | None:
        """The row a citation links to, the first of these that shows the paper:

        1. the citing page (its block marked ``:home:``, else its first row there);
        2. the page ``fm_papers_home`` names for it;
        3. the first page by name with a block marked ``:home:`` showing it;
        4. the first page by name showing it.

        Without a citing page (``objects.inv``, another project's citation), from 2 on.
        """
        pages = self.rows.get(paper_id)
        if not pages:
            return None
        homes = self.homes.get(paper_id, {})
        chosen = dict(settings(self.env.config).home).get(paper_id)
        if fromdocname in pages:
            docname = fromdocname
        elif chosen in pages:
            docname = chosen
        elif homes:
            docname = min(homes)
        else:
            docname = min(pages)
        return docname, homes[docname][0] if docname in homes else pages[docname]

    def clear_doc(self, docname: str) -> None:
        """Forget what ``docname`` contributed."""
        self.users.pop(docname, None)
        self.read_with.pop(docname, None)
        self.assets.pop(docname, None)
        self.scripts.pop(docname, None)
        self.cites.pop(docname, None)
        self.resolved.pop(docname, None)
        for paper_id in list(self.rows):
            pages = self.rows[paper_id]
            pages.pop(docname, None)
            if not pages:
                del self.rows[paper_id]
                self.names.pop(paper_id, None)
        for paper_id in list(self.homes):
            homes = self.homes[paper_id]
            homes.pop(docname, None)
            if not homes:
                del self.homes[paper_id]

    def merge_domaindata(self, docnames: AbstractSet[str], otherdata: dict[str, Any]) -> None:
        """Take what a parallel reader collected for ``docnames``."""
        for key in ("users", "read_with", "assets", "scripts", "cites"):
            for docname, value in otherdata[key].items():
                if docname in docnames:
                    self.data[key][docname] = value
        for paper_id, pages in otherdata["rows"].items():
            for docname, anchor in pages.items():
                if docname in docnames:
                    self.rows.setdefault(paper_id, {})[docname] = anchor
                    if paper_id in otherdata["names"]:
                        self.names[paper_id] = otherdata["names"][paper_id]
        for paper_id, homes in otherdata["homes"].items():
            for docname, anchor in homes.items():
                if docname in docnames:
                    self.homes.setdefault(paper_id, {})[docname] = anchor

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """One ``paper`` object per paper shown, at the row other pages' citations link to."""
        for paper_id in sorted(self.rows):
            docname, anchor = self.row_of(paper_id) or ("", "")
            yield paper_id, self.names.get(paper_id, paper_id), "paper", docname, anchor, -1

    @staticmethod
    def _anchor(builder: Builder, row: tuple[str, str]) -> tuple[str, str]:
        """A row's page and anchor as ``builder`` writes them: under ``singlehtml`` every page
        is one, where the transform made each anchor unique by its page's name."""
        docname, anchor = row
        if builder.name == "singlehtml":
            return docname, one_page_anchor(docname, anchor)
        return docname, anchor

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        """Link a citation to the paper's row in this project.

        Without one, None: ``missing-reference`` then tries intersphinx inventories, and
        last the paper's own URL (:func:`.role.link_to_paper`).
        """
        row = self.row_of(target, fromdocname) if typ == "paper" else None
        if row is None:
            return None
        docname, anchor = self._anchor(builder, row)
        # The link's title (a tooltip in HTML) is the paper's title, which the role noted.
        title = node.get("fm_papers_title") or target
        return make_refnode(builder, fromdocname, docname, anchor, contnode, title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        """``:any:`scgpt``` links to a paper's row as the role does, with the role's text.

        Only ids match, as written: exactly the names ``objects.inv`` lists, so ``:any:``
        finds the same papers here and from other projects. Aliases and model names (which
        the role accepts) are left out: ``:any:`UNI``` or ``:any:`clip``` would otherwise
        clash with labels and other objects of the same name. A paper the project also cites
        with sphinxcontrib-bibtex's ``{cite}`` is left to that citation.
        """
        row = self.row_of(target, fromdocname)
        if row is None or _cited(env, fromdocname, builder, target, node, contnode):
            return []
        if not node.get("refexplicit"):
            text = self.names.get(target, target)
            contnode = nodes.inline(text, text, classes=["fm-paper-cite"])
        docname, anchor = self._anchor(builder, row)
        # Sphinx gives the first child of an ``:any:`` link the domain's name as a class if it
        # has classes: "fm-papers" is the class of the directive's blocks (the stylesheet, the
        # browser script, the text and man transforms), so the child is a bare wrapper.
        wrapper = nodes.inline("", "", contnode)
        reference = make_refnode(builder, fromdocname, docname, anchor, wrapper, target)
        return [("fm-papers:paper", reference)]
