# Project B: links to project A's rows. The test sets intersphinx_mapping to A's inventory.
project = "Reader"
extensions = ["fm_papers.sphinxext", "sphinx.ext.intersphinx"]
fm_papers_extra_files = ["reader.yaml"]
fm_papers_include_builtin = False
