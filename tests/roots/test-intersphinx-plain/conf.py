# Project B without fm_papers.sphinxext: the test sets intersphinx_mapping to A's inventory.
project = "Plain"
extensions = ["sphinx.ext.intersphinx"]
