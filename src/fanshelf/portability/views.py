import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanshelf.core.ratelimit import allow
from fanshelf.portability.user_export import write_user_export

# Zips up to this size stay in memory; bigger ones (e-books of many works) spill to disk.
IN_MEMORY_BYTES = 4 * 1024 * 1024


@login_required
@require_POST
def export_my_data(request):
    """The user's "Download my data" zip, built in a temporary file and streamed."""
    if not allow("data_export", f"user:{request.user.pk}"):
        messages.error(
            request, _("You downloaded your data several times already; try again in an hour.")
        )
        return redirect("account:page")
    # FileResponse closes it once the zip is sent.
    file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115
    write_user_export(user=request.user, file=file)
    file.seek(0)
    name = f"fanshelf-{request.user.username}-{timezone.now():%Y-%m-%d}.zip"
    return FileResponse(file, as_attachment=True, filename=name, content_type="application/zip")
