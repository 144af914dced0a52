"""Make each POST a page sends to ``pattern`` reach the server twice, as when a response is lost
and the request is retried (by the person, the browser or a proxy): the first copy's answer is
dropped and the page gets the second's."""

from __future__ import annotations


def deliver_posts_twice(page, pattern: str) -> list[int]:
    """Route ``pattern`` so each POST is sent twice; returns the statuses the server answered
    (two per POST). Undo with ``page.unroute(pattern)``."""
    statuses: list[int] = []

    def twice(route):
        if route.request.method != "POST":
            return route.continue_()
        statuses.append(route.fetch(max_redirects=0).status)  # lost on the way back
        retry = route.fetch(max_redirects=0)
        statuses.append(retry.status)
        return route.fulfill(response=retry)

    page.route(pattern, twice)
    return statuses
