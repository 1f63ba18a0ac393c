"""What the fault and access tests (tests/test_faults_access*.py) share: the Site CSVs they upload, the
admin's URLs, staff users with given permissions and their logged-in clients, schedule forms, files
dropped into storage, and the messages and form errors a response shows."""

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

MP = "Default Multimedia Profile"
SITES = f"Name,Description,Multimedia Profile\nBelgrade,,{MP}\nNis,,Nope\n".encode()
GOOD_SITES = f"Name,Description,Multimedia Profile\nNovi Sad,,{MP}\n"
NEW = reverse("admin:bulkops_job_new")
ADD_SCHEDULE = reverse("admin:bulkops_scheduledimport_add")
SCHEDULES = reverse("admin:bulkops_scheduledimport_changelist")
SCHEDULE_PERMS = ("add_scheduledimport", "change_scheduledimport", "view_scheduledimport")
FOLDER_ERROR = (
    "Folder must be a relative path of plain names such as sites or sites/daily; it is inside the "
    "watched-folders root 'imports'."
)


# -- helpers -------------------------------------------------------------------------------------------


def make_user(django_user_model, name, *perms, superuser=False):
    if superuser:
        return django_user_model.objects.create_superuser(name, f"{name}@example.com", None)
    user = django_user_model.objects.create_user(name, is_staff=True)  # no password: tests log in with force_login
    grant(user, *perms)
    return user


def grant(user, *perms):
    user.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    assert user.user_permissions.filter(codename__in=perms).count() == len(perms)


def revoke(user, *perms):
    user.user_permissions.remove(*Permission.objects.filter(codename__in=perms))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, content=SITES, name="sites.csv", obj="site"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(NEW, {"object": obj, "operation": "import", "file": file})


def schedule_form(name, obj, folder, **extra):
    return {"name": name, "object_type": obj, "folder": folder, "cron": "", "every_minutes": "5", "enabled": "on"} | (
        extra
    )


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def shown_messages(response) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in response.context["messages"]]


def run_now(client, scheduled):
    return client.post(SCHEDULES, {"action": "run_now", "_selected_action": [scheduled.pk]}, follow=True)


def drop(path: str, content: str) -> str:
    return default_storage.save(path, ContentFile(content.encode()))


def folder_files(folder: str) -> list[str]:
    try:
        return sorted(default_storage.listdir(folder)[1])
    except FileNotFoundError:
        return []


def file_url(job, kind):
    return reverse("admin:bulkops_job_file", args=[job.pk, kind])


def details_url(job):
    return reverse("admin:bulkops_job_change", args=[job.pk])


def cancel_url(job):
    return reverse("admin:bulkops_job_cancel", args=[job.pk])
