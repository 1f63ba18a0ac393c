from django.db import migrations

DEFAULTS = {
    "MultimediaProfile": "Default Multimedia Profile",
    "DesktopLayout": "Global Layout",
    "DialPlan": "Default Dial Plan",
}


def create_defaults(apps, schema_editor):
    for model_name, name in DEFAULTS.items():
        model = apps.get_model("config_objects", model_name)
        if not model.objects.filter(name__iexact=name).exists():
            model.objects.create(name=name, description="Shipped with the product")


class Migration(migrations.Migration):
    dependencies = [("config_objects", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
