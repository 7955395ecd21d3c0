"""Joining a queryset of works to the works a full-text search matched, with their rank.

Django cannot join a subquery, so ``_MatchJoin`` stands in a query's ``alias_map``
beside Django's own joins, providing what ``django.db.models.sql.datastructures.Join``
documents for them. A join, not a correlated subquery per work: the engine finds
and ranks the matches once per query, where a subquery would run the search once
for every work it is asked about.

Ranking costs more than matching (bm25 or ts_rank_cd for every matching chapter),
so the join ranks only when the query being compiled selects or sorts by
``search_rank``: the ``COUNT(*)`` of a paginator, a ``pk__in`` subquery or an
unsorted sample get the cheaper matching-only SQL.
"""

from django.db.models import Expression, F, FloatField, QuerySet
from django.db.models.expressions import Ref
from django.db.models.sql.constants import INNER

MATCH_ALIAS = "search_match"


class _MatchJoin:
    filtered_relation = None
    nullable = False

    def __init__(self, ranked, unranked, parent_alias, table_alias=None, join_type=INNER):
        self.ranked = (ranked[0], tuple(ranked[1]))
        self.unranked = (unranked[0], tuple(unranked[1]))
        self.table_name = MATCH_ALIAS
        self.parent_alias = parent_alias
        self.table_alias = table_alias
        self.join_type = join_type

    def as_sql(self, compiler, connection):
        if _uses_rank(compiler.query, self.table_alias):
            sql, params = self.ranked
        else:
            sql, params = self.unranked
            sql = f"SELECT DISTINCT work_id, 0.0 AS rank FROM ({sql}) AS matches"  # noqa: S608
        quote, column = compiler.quote_name_unless_alias, connection.ops.quote_name
        alias = quote(self.table_alias)
        sql = (
            f"{self.join_type} ({sql}) {alias} "
            f"ON ({alias}.{column('work_id')} = {quote(self.parent_alias)}.{column('id')})"
        )
        return sql, list(params)

    def relabeled_clone(self, change_map):
        return self.__class__(
            self.ranked,
            self.unranked,
            change_map.get(self.parent_alias, self.parent_alias),
            change_map.get(self.table_alias, self.table_alias),
            self.join_type,
        )

    @property
    def identity(self):
        return (self.__class__, self.ranked, self.parent_alias)

    def __eq__(self, other):
        return isinstance(other, _MatchJoin) and self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)

    def demote(self):
        return self.relabeled_clone({})

    def promote(self):
        # Never an outer join: the join is what keeps only the matches.
        return self.relabeled_clone({})


class _MatchRank(Expression):
    """The ``rank`` column of the match join, following the join's alias."""

    output_field = FloatField()

    def __init__(self, alias: str):
        super().__init__()
        self.alias = alias

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(self.alias)
        return f"{alias}.{connection.ops.quote_name('rank')}", []

    def relabeled_clone(self, change_map):
        return self.__class__(change_map.get(self.alias, self.alias))

    def get_group_by_cols(self):
        return [self]


def _uses_rank(query, alias: str) -> bool:
    """Whether ``query`` selects or sorts by the rank of the match join ``alias``."""
    pending = [*query.annotation_select.values()]
    for item in (*query.order_by, *query.extra_order_by):
        if isinstance(item, str):
            pending.append(F(item.lstrip("-")))
        else:
            pending.append(item)
    seen: set[str] = set()
    while pending:
        expression = pending.pop()
        nodes = expression.flatten() if hasattr(expression, "flatten") else [expression]
        for node in nodes:
            if isinstance(node, _MatchRank) and node.alias == alias:
                return True
            name = node.name if isinstance(node, F) else getattr(node, "refs", None)
            if isinstance(node, F | Ref) and name in query.annotations and name not in seen:
                seen.add(name)
                pending.append(query.annotations[name])
    return False


def join_matches(queryset: QuerySet, *, ranked: tuple, unranked: tuple) -> QuerySet:
    """``queryset`` joined to the matched works, annotated with ``search_rank``.

    ``ranked`` is SQL and parameters selecting ``work_id, rank`` (one row per work);
    ``unranked`` selects ``work_id`` of the same works (repeats allowed).
    """
    queryset = queryset.all()
    query = queryset.query
    alias = query.join(_MatchJoin(ranked, unranked, query.get_initial_alias()))
    return queryset.annotate(search_rank=_MatchRank(alias))
