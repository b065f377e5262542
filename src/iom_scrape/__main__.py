"""``python -m iom_scrape``: the same as the ``iom-scrape`` command."""

from iom_scrape.cli import main

main()
