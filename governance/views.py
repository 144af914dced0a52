"""Public governance pages: the published Strategic Board."""

from django.shortcuts import render
from django.utils import timezone

from . import selectors


def index(request):
    today = timezone.localdate()
    board = selectors.public_board(today)
    return render(
        request,
        "governance/board_public.html",
        {"page_title": "Strategic Board", "today": today, **board},
    )
