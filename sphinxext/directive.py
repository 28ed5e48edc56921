"""The ``fm-papers`` directive: a query's papers as a table, list or cards.

Its filter options are the filters :data:`fm_papers.filters.FILTER_SPECS` declares, so the
directive, the Python API and the command line share one set of names. Option values are
kept as written and parsed by the core in :meth:`FmPapersDirective.select`, so that every
mistake becomes one located ``fm_papers`` warning with the valid values and the nearest one,
instead of a docutils error that names neither.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from fm_papers.errors import QueryError, hint
from fm_papers.filters import FILTER_SPECS, Filter, default_sort, filter_values
from fm_papers.query import Query, parse_bool
from fm_papers.safety import find_forbidden

from .config import COLUMNS, GROUPS, LAYOUTS, WarningType, split_names
from .domain import FmPapersDomain
from .labels import LABELS, Labels
from .nodes import fm_papers_block, fm_papers_rows
from .render import Anchors, View, render
from .state import Loaded, note_files

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from fm_papers.catalogue import Catalogue
    from fm_papers.records import PaperLike

__all__ = ["FILTER_OPTIONS", "PRESENTATION_OPTIONS", "FmPapersDirective", "setup_directive"]

logger = logging.getLogger(__name__)

#: The filter options, in the order the filters are declared.
FILTER_OPTIONS: tuple[str, ...] = tuple(f.option for f in FILTER_SPECS)
#: The presentation options, with what each one does (the manual's table reads this).
PRESENTATION_OPTIONS: dict[str, str] = {
    "columns": f"Columns to show, in order: {', '.join(COLUMNS)}.",
    "layout": f"One of {', '.join(LAYOUTS)}.",
    "group-by": f"A captioned group per value, in sort order: {', '.join(GROUPS)}.",
    "caption": "A caption (the table's title, or a heading above a list or cards).",
    "name": "A label, so that :ref: and :numref: reach the table (a captioned :group-by: "
    "block, list or card grid is numbered once, as one table).",
    "home": "A flag: this block's rows are where :fm-paper: citations of its papers link "
    "from other pages (default: the first page by name showing the paper; "
    "fm_papers_home wins over it).",
    "class": "Extra classes for the wrapper.",
    "empty": "The text shown when nothing matches.",
    "interactive": "yes or no: a search box, facets and sortable headers in HTML "
    "(default: fm_papers_interactive; a block of fewer papers than "
    "fm_papers_filter_threshold has only the sortable headers unless this says yes).",
}


def setup_directive(app: Sphinx) -> None:
    """Register the ``fm-papers`` directive."""
    app.add_directive("fm-papers", FmPapersDirective)


class _OptionSpec(dict[str, Callable[[str], Any]]):
    """An option spec that accepts unknown names, so that ``run()`` can warn about them.

    docutils and MyST both look options up with ``spec[name]``; the known ones are iterated
    (and listed in their messages) as usual.
    """

    def __missing__(self, name: str) -> Callable[[str], Any]:
        return directives.unchanged


def option_spec(*names: str) -> _OptionSpec:
    """A spec taking every option's value as written."""
    return _OptionSpec((name, directives.unchanged) for name in names)


def query_message(error: QueryError) -> str:
    """A query error as a directive user reads it: ``:venue-kind: unknown ...``, the text
    Python's ``str()`` and the command line give after the filter's name
    (:attr:`QueryError.detail <fm_papers.errors.QueryError>`)."""
    name = error.field.replace("_", "-")
    return f":{name}: {error.detail}" if error.field != "filter" else error.detail


def _refused(name: str, value: object, directive: FmPapersDirective) -> bool:
    """Warn about an option value holding a control or bidirectional character."""
    if not isinstance(value, str):
        return False
    found = find_forbidden(value)
    if found is not None:
        directive.warn(
            f"{directive.name}: :{name}: {found[2]}; the directive is left out", "option"
        )
    return found is not None


class FmPapersDirective(SphinxDirective):
    """Show the papers a query selects.

    .. code-block:: rst

       .. fm-papers::
          :domain: pathology
          :section: segmentation
          :columns: title, year, links
    """

    has_content = False
    required_arguments = 0
    optional_arguments = 0
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = option_spec(
        *FILTER_OPTIONS, *PRESENTATION_OPTIONS
    )
    #: The filters the directive takes.
    filters: ClassVar[tuple[Filter, ...]] = FILTER_SPECS

    def warn(self, message: str, subtype: WarningType) -> None:
        """A located ``fm_papers.<subtype>`` warning."""
        logger.warning(message, location=self.get_location(), type="fm_papers", subtype=subtype)

    def start(self) -> tuple[Loaded, Catalogue | None]:
        """Note the data this page reads; warn about unknown options.

        :return: the build's data, and its catalogue unless it is broken or an option is
            unknown (a misspelt filter must not widen the selection).
        """
        known = self.option_spec
        unknown = [name for name in self.options if name not in known]
        for name in unknown:
            self.warn(
                f"{self.name}: the directive is left out: unknown option :{name}:"
                + hint(name, list(known)),
                "option",
            )
        # Option values are untrusted like data: none may carry a control character.
        refused = [name for name, value in self.options.items() if _refused(name, value, self)]
        state = note_files(self.env)
        self.domain.note_user(self.env.docname, assets=True)
        return state, None if unknown or refused else state.catalogue

    def select(
        self, catalogue: Catalogue, sort: str | None = None
    ) -> tuple[Query, tuple[PaperLike, ...]] | None:
        """Parse the filter options and run the query; a bad filter is one located warning.

        :param sort: the sort used when the options name none and give no ``:ids:`` (whose
            order is kept, as in the Python API and on the command line).
        :return: the query and its papers, or ``None`` when a filter is wrong.
        """
        filters = filter_values(self.options, self.filters)
        if sort is not None:
            default_sort(filters, sort)
        try:
            query = Query.parse(filters)
            return query, query.run(catalogue)
        except QueryError as error:
            subtype: WarningType = "id" if error.field in ("ids", "exclude") else "query"
            self.warn(f"{self.name}: the table is left out: {query_message(error)}", subtype)
            return None

    def labels(self, state: Loaded) -> Labels:
        """The build's labels: in its ``language``, with ``fm_papers_labels``."""
        return Labels(self.config.language, state.settings.labels)

    @property
    def domain(self) -> FmPapersDomain:
        """The fm-papers domain of this build."""
        return FmPapersDomain.of(self.env)

    def run(self) -> list[nodes.Node]:
        """Query the catalogue and build the nodes; a bad filter leaves the table out."""
        state, catalogue = self.start()
        if catalogue is None:
            return []

        selected = self.select(catalogue, state.settings.sort)
        if selected is None:
            return []
        query, papers = selected

        labels = self.labels(state)
        empty = state.settings.empty_text
        view = View(
            columns=self._columns(state.settings.columns),
            layout=self.choice("layout", LAYOUTS, state.settings.layout) or "table",
            group_by=self.choice("group-by", GROUPS, None),
            caption=self.options.get("caption") or None,
            # The default text is a label: translated, or set by fm_papers_labels.
            empty_text=self.options.get("empty")
            or (labels("empty") if empty == LABELS["empty"].text else empty),
            classes=self.class_names(),
            sort=query.sort,
            labels=labels,
            interactive=self.yes_no("interactive", state.settings.interactive),
            # A small block gets no filter bar, unless its directive asks for it.
            filters="interactive" in self.options or len(papers) >= state.settings.filter_threshold,
        )
        anchors = self.env.temp_data.get("fm_papers_anchors")
        if not isinstance(anchors, Anchors):
            anchors = self.env.temp_data["fm_papers_anchors"] = Anchors()
        # The rows are built after reading (transforms.RowsTransform).
        wrapper = render(papers, view, taxonomy=catalogue.taxonomy, query=query, anchors=anchors)
        self.domain.note_rows(self.env.docname, {p.id: anchors.first[p.id] for p in papers})
        if self._home():
            self.domain.note_home(self.env.docname, self.lineno, _anchors_of(wrapper))
        # A small list or card grid has nothing for the script to do (no bar, no headers).
        if view.interactive and papers and (view.filters or view.layout == "table"):
            self.domain.note_script(self.env.docname)
        self.set_source_info(wrapper)
        self._name(wrapper, view)
        return [wrapper]

    def _name(self, wrapper: nodes.Element, view: View) -> None:
        """Put ``:name:`` on the node that carries the caption, so ``:numref:`` works: the
        table of an ungrouped table, else the block (numbered when it has a caption)."""
        target: nodes.Element = wrapper
        if not isinstance(wrapper, fm_papers_block):
            for child in wrapper.children:
                if isinstance(child, nodes.table):
                    target = child
                    break
        self.set_source_info(target)
        self.add_name(target)

    def _home(self) -> bool:
        """``:home:``: a flag (``:home: no`` turns it off, as MyST may write every option)."""
        written = self.options.get("home")
        if written is None:
            return False
        return not written.strip() or self.yes_no("home", True)

    def _columns(self, default: tuple[str, ...]) -> tuple[str, ...]:
        written = self.options.get("columns")
        if written is None:
            return default
        names = split_names(written)
        if not names:
            self.warn(
                f"{self.name}: :columns: expected at least one column, using the default "
                f"{', '.join(default)}" + hint("", list(COLUMNS)),
                "value",
            )
            return default
        columns = []
        for name in names:
            if name in COLUMNS:
                columns.append(name)
            else:
                self.warn(
                    f"{self.name}: :columns: unknown column {name!r}, left out"
                    + hint(name, list(COLUMNS)),
                    "value",
                )
        return tuple(dict.fromkeys(columns)) or default

    def class_names(self) -> tuple[str, ...]:
        """The ``:class:`` option's class names; one that cannot be a class name is a warning."""
        try:
            return tuple(directives.class_option(self.options.get("class") or ""))
        except ValueError as error:
            self.warn(f"{self.name}: :class: {error}; ignored", "value")
            return ()

    def choice(self, name: str, valid: tuple[str, ...], default: str | None) -> str | None:
        """One of ``valid`` (as written, in any case), or ``default`` with a warning."""
        written: str | None = self.options.get(name)
        if written is None:
            return default
        value = written.strip().lower()
        if value in valid:
            return value
        self._unknown_value(name, value, valid, default)
        return default

    def yes_no(self, name: str, default: bool) -> bool:
        """A yes-or-no option, read as ``:has-code:`` is (yes, true, on, 1 / no, false...)."""
        written: str | None = self.options.get(name)
        if written is None:
            return default
        try:
            return bool(parse_bool(name, written))
        except QueryError:
            self._unknown_value(
                name, written.strip().lower(), ("yes", "no"), "yes" if default else "no"
            )
            return default

    def _unknown_value(
        self, name: str, value: str, valid: tuple[str, ...], default: str | None
    ) -> None:
        fallback = f"using {default!r}" if default else "ignored"
        self.warn(
            f"{self.name}: :{name}: unknown value {value!r}, {fallback}" + hint(value, valid),
            "value",
        )


def _anchors_of(wrapper: nodes.Element) -> dict[str, str]:
    """Each paper of a block with its first row's anchor in it."""
    found: dict[str, str] = {}
    for placeholder in wrapper.findall(fm_papers_rows):
        for paper_id, anchor in zip(placeholder["papers"], placeholder["anchors"], strict=True):
            found.setdefault(paper_id, anchor)
    return found
