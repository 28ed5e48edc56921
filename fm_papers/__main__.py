from fm_papers.cli import main

raise SystemExit(main())
