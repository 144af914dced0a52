from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("accounts/", include("hubops.account_urls")),
    path("accounts/", include("allauth.urls")),
    path("workgroups/", include("workgroups.urls")),
    path("certificates/", include("workgroups.certificate_urls")),
    path("complaints/", include("complaints.urls")),
    path("privacy/", include("privacy.urls")),
    path("board/", include("governance.urls")),
    path("staff/", include("hubops.staff_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
