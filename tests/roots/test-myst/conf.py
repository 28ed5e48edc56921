extensions = ["myst_parser", "fm_papers.sphinxext"]
