extensions = ["fm_papers.sphinxext"]
project = "basic"
copyright = "2026, fm-papers"
version = release = "1.0"
numfig = True
