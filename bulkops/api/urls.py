from django.urls import path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from bulkops.api import views

app_name = "api"


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
def not_found(request, rest=""):
    raise NotFound(f"There is no API endpoint /api/v1/{rest}. The endpoints are listed at /api/v1/docs/.")


urlpatterns = [
    path("jobs/", views.JobList.as_view(), name="jobs"),
    path("jobs/<int:pk>/", views.JobDetail.as_view(), name="job"),
    path("jobs/<int:pk>/import/", views.JobImportValidated.as_view(), name="job-import"),
    path("jobs/<int:pk>/cancel/", views.JobCancel.as_view(), name="job-cancel"),
    path("jobs/<int:pk>/revert/", views.JobRevert.as_view(), name="job-revert"),
    path("jobs/<int:pk>/failed-rows/", views.JobFailedRows.as_view(), name="job-failed-rows"),
    path("jobs/<int:pk>/<str:kind>/", views.JobFile.as_view(), name="job-file"),
    path("objects/", views.ObjectList.as_view(), name="objects"),
    path("objects/<str:slug>/template/", views.ObjectTemplate.as_view(), name="object-template"),
    path("objects/<str:slug>/export/", views.ObjectExport.as_view(), name="object-export"),
    # The description of the API is public: it holds no data.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[AllowAny]), name="docs"),
    # Any other path under /api/v1/, even one with a line break in it (which "." would not match).
    re_path(r"^(?P<rest>[\s\S]*)$", not_found),
]
