extensions = ["fm_papers.sphinxext"]
