"""Named queries on any store: ``read(store, name, params)`` and ``read_all`` (every page).

The catalogue (:mod:`policykg.queries.catalogue`) holds the ``.cypher`` files; writes are
plans built in :mod:`policykg.queries.writes`.
"""

from policykg.queries.run import PAGE, check_read_only, default_catalogue, keyset_page, read, read_all

__all__ = ["PAGE", "check_read_only", "default_catalogue", "keyset_page", "read", "read_all"]
