"""Groups "Éditeurs" and "Modérateurs" and the "Relecture" moderation workflow on the whole site.

Wagtail's own initial data ships "Editors", "Moderators" and a "Moderators approval"
workflow on the root page; they are renamed and completed rather than duplicated.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS, MODERATORS, WORKFLOW, TASK = (
    "Éditeurs",
    "Modérateurs",
    "Relecture",
    "Relecture par les modérateurs",
)

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    EDITORS: [
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    ],
    MODERATORS: [
        "add_image",
        "change_image",
        "delete_image",
        "choose_image",
        "add_document",
        "change_document",
        "delete_document",
        "choose_document",
    ],
}
MODEL_PERMISSIONS = {
    EDITORS: ["access_admin", "add_theme", "change_theme", "add_partner", "change_partner"],
    MODERATORS: [
        "access_admin",
        "add_theme",
        "change_theme",
        "delete_theme",
        "add_partner",
        "change_partner",
        "delete_partner",
        "change_portalsettings",
    ],
}


def group_named(Group, name, legacy_name):
    group = Group.objects.filter(name=name).first()
    if group is None:
        group = Group.objects.filter(name=legacy_name).first()
        if group is None:
            return Group.objects.create(name=name)
        group.name = name
        group.save(update_fields=["name"])
    return group


def permission(Permission, codename):
    return Permission.objects.get(
        codename=codename,
        content_type__app_label__in=[
            "wagtailadmin",
            "wagtailcore",
            "wagtailimages",
            "wagtaildocs",
            "home",
        ],
    )


def create_groups_and_workflow(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    groups = {
        EDITORS: group_named(Group, EDITORS, "Editors"),
        MODERATORS: group_named(Group, MODERATORS, "Moderators"),
    }
    for name, group in groups.items():
        GroupPagePermission.objects.filter(group=group).exclude(
            permission__codename__in=PAGE_PERMISSIONS[name]
        ).delete()
        for codename in PAGE_PERMISSIONS[name]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission(Permission, codename)
            )
        for codename in COLLECTION_PERMISSIONS[name]:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission(Permission, codename)
            )
        group.permissions.add(
            *(permission(Permission, codename) for codename in MODEL_PERMISSIONS[name])
        )

    workflow_page = WorkflowPage.objects.filter(page=root_page).select_related("workflow").first()
    if workflow_page is None:
        workflow = Workflow.objects.create(name=WORKFLOW, active=True)
        WorkflowPage.objects.create(workflow=workflow, page=root_page)
    else:
        workflow = workflow_page.workflow
        workflow.name = WORKFLOW
        workflow.active = True
        workflow.save(update_fields=["name", "active"])

    task_ids = WorkflowTask.objects.filter(workflow=workflow).values_list("task_id", flat=True)
    task = GroupApprovalTask.objects.filter(pk__in=task_ids).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK,
            active=True,
            content_type=ContentType.objects.get_or_create(
                app_label="wagtailcore", model="groupapprovaltask"
            )[0],
        )
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    else:
        task.name = TASK
        task.save(update_fields=["name"])
    task.groups.set([groups[MODERATORS]])


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_create_homepage"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups_and_workflow, migrations.RunPython.noop)]
