from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("bulkops.api.urls")),
    # The language switch in the admin header posts here (Django's set_language view).
    path("i18n/", include("django.conf.urls.i18n")),
    # The dashboard's JavaScript takes its words from here, in the page's language.
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["bulkops"]), name="javascript-catalog"),
]
