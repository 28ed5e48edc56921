extensions = ["sphinx_design", "fm_papers.sphinxext"]
