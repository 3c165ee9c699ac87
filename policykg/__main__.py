"""``python -m policykg`` runs the ``policykg`` command."""

from policykg.cli import main

main()
