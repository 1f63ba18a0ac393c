"""Who may do what with bulk jobs (SPEC section 7): importing an object needs its model's add and
change permissions, exporting needs view (a package: on every object); a job's files go to its
submitter, a superuser, or anyone who may view the job's object."""

from config_objects.registry import OBJECT_TYPES, PACKAGE, ObjectType, object_type


def _perm(object_type_: ObjectType, action: str) -> str:
    meta = object_type_.model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def _objects(object_type_: ObjectType):
    """The objects a job of this kind touches: a package's are every object (SPEC 11)."""
    return OBJECT_TYPES if object_type_.is_package else [object_type_]


def can_import(user, object_type_: ObjectType) -> bool:
    needed = [_perm(kind, action) for kind in _objects(object_type_) for action in ("add", "change")]
    return user.is_active and user.is_staff and user.has_perms(needed)


def can_export(user, object_type_: ObjectType) -> bool:
    needed = [_perm(kind, "view") for kind in _objects(object_type_)]
    return user.is_active and user.is_staff and user.has_perms(needed)


def can_download(user, job) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or job.submitted_by_id == user.pk or can_export(user, object_type(job.object_type))


def can_cancel(user, job) -> bool:
    """An active job may be stopped by its submitter, a superuser, or anyone who may import its object."""
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or job.submitted_by_id == user.pk or can_import(user, object_type(job.object_type))


def usable_object_types(user) -> list[tuple[ObjectType, bool, bool]]:
    """(object, may import, may export) for the whole configuration and each object, those the user
    may do either with."""
    found = []
    for object_type_ in [PACKAGE, *OBJECT_TYPES]:
        importing, exporting = can_import(user, object_type_), can_export(user, object_type_)
        if importing or exporting:
            found.append((object_type_, importing, exporting))
    return found
