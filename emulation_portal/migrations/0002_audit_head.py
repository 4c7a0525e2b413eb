from django.db import migrations


def create_head(apps, schema_editor):
    # One head row from the start, so concurrent first appends lock it instead of racing
    # to create it.
    apps.get_model("emulation_portal", "AuditHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("emulation_portal", "0001_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
