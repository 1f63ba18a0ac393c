from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    # Browsers ask for /favicon.ico whatever the page links; the icon is a static file.
    path("favicon.ico", RedirectView.as_view(url=static("bulkops/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("bulkops.api.urls")),
    # The language switch in the admin header posts here (Django's set_language view).
    path("i18n/", include("django.conf.urls.i18n")),
    # The dashboard's JavaScript takes its words from here, in the page's language.
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["bulkops"]), name="javascript-catalog"),
]
