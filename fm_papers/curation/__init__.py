"""The curation pipeline: from the source lists to the shipped data, and never on the read path.

A build (:mod:`.build`, run by ``python curation/build.py`` in a checkout) goes, in order:

1. :mod:`.importer` reads awesome-list markdown into raw entries, reporting every line it
   does not take;
2. :mod:`.pipeline` merges the lines of one paper, normalises venues and derives fields
   (:mod:`fm_papers.derive` reads identifiers and venues off links, :mod:`.naming` names and
   kinds papers, :mod:`.flags` records the sources' defects);
3. :mod:`.ledger` keeps every id ever issued, so that an id never changes meaning;
4. :mod:`.changes` reports what the build changed, by id, for a reviewer.

:mod:`.overlay` uses the same steps to turn a markdown list into an overlay for a catalogue
(``fm-papers import-markdown``). Loading, querying and rendering the catalogue import none of
these modules.
"""
