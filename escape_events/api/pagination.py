"""Pages of a list: `?page=` and `?page_size=`, with the addresses of the pages around."""

from django.db.models import QuerySet
from ninja import Field, Schema

MAX_PAGE_SIZE = 100


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000, description="1-based page number.")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")


def _link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page_of(request, rows, wanted: PageQuery, represent) -> dict:
    """One page of a queryset (a count and a slice: two queries) or of a list."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    start = (wanted.page - 1) * wanted.page_size
    items = rows[start : start + wanted.page_size] if start < count else []
    return {
        "count": count,
        "page": wanted.page,
        "page_size": wanted.page_size,
        "next": _link(request, wanted.page + 1) if start + wanted.page_size < count else None,
        "previous": _link(request, wanted.page - 1) if wanted.page > 1 else None,
        "items": [represent(item) for item in items],
    }
