"""The staff area's front page: each person's own home (what is due for them, their areas'
counts and the pages they can open) and the staff search. Both are composed from what the apps
register in ``hubops.ports``."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.utils import timezone

from . import ports, selectors


@staff_member_required
def dashboard(request):
    today = timezone.localdate()
    return render(
        request,
        "hubops/staff_dashboard.html",
        {**selectors.staff_home(request.user, today), "today": today, "page_title": "Your work"},
    )


@staff_member_required
def search(request):
    query = request.GET.get("q", "").strip()[:100]
    hits = ports.search(request.user, query) if query else []
    return render(
        request,
        "hubops/staff_search.html",
        {
            "query": query,
            "hits": hits,
            "too_short": bool(query) and len(query) < 2,
            "page_title": f"Search: {query}" if query else "Search",
        },
    )
