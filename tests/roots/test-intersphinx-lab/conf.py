# Project A: a lab's docs that show papers; other projects link to its rows with intersphinx.
project = "Lab"
extensions = ["fm_papers.sphinxext"]
fm_papers_extra_files = ["lab.yaml"]
fm_papers_include_builtin = False
