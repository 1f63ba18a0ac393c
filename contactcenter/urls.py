from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Contact Center configuration"
admin.site.site_title = "Contact Center"
admin.site.index_title = "Configuration"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
]
