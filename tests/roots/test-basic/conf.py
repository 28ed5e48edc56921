extensions = ["fm_papers.sphinxext"]
numfig = True
