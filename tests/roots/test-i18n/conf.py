extensions = ["fm_papers.sphinxext"]
fm_papers_include_builtin = False
fm_papers_extra_files = ["lab.yaml"]
