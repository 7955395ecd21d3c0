"""Import a work: upload files, preview what was read, then post the chosen works."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fanshelf.core import ratelimit
from fanshelf.imports import batches
from fanshelf.imports.archive import can_archive
from fanshelf.imports.forms import ImportForm, PostBatchForm
from fanshelf.imports.models import ImportBatch


@login_required
def new_import(request):
    """The upload form; a good upload is read into a batch and previewed."""
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow("import", str(request.user.pk)):
            form.add_error(
                None, _("You have imported a lot in the last hour; please wait a while.")
            )
            status = 429
        else:
            uploads = ((upload.name, upload.read()) for upload in form.cleaned_data["files"])
            try:
                batch = batches.read_into_batch(
                    user=request.user, uploads=uploads, **form.choices()
                )
            except ValidationError as error:
                if "files" in error.message_dict:
                    form.add_error(None, _("No work could be read from the files you chose."))
                form.add_service_errors(error)
            except PermissionDenied as error:
                form.add_error("pseud", str(error))
            else:
                return redirect("imports:batch", batch.pk)
    return render(request, "imports/new.html", {"form": form}, status=status)


def _own_batch(request, batch_id: int) -> ImportBatch:
    try:
        return batches.batch_for(user=request.user, batch_id=batch_id)
    except ImportBatch.DoesNotExist:
        raise Http404(_("This import does not exist, or it has expired.")) from None


@login_required
def batch_page(request, batch_id: int):
    """A batch's preview (and the form to post it), or, once posted, what became of it."""
    batch = _own_batch(request, batch_id)
    if request.method != "POST" and batch.finished_at:
        report = batches.report(batch, viewer=request.user)
        return render(request, "imports/report.html", {"batch": batch, "report": report})
    preview = batches.preview(batch, viewer=request.user)
    indexes = [work.index for work in preview.works]
    form = PostBatchForm(
        request.POST or None, indexes=indexes, may_archive=can_archive(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            batches.post_batch(
                user=request.user,
                batch_id=batch.pk,
                chosen=form.cleaned_data["work"],
                accepted=form.accepted(),
                titles=form.titles(),
                as_draft=form.cleaned_data["action"] == "draft",
                show_source=form.cleaned_data["show_source"],
                on_behalf=form.cleaned_data.get("on_behalf", False),
            )
        except ImportBatch.DoesNotExist:
            raise Http404(_("This import does not exist, or it has expired.")) from None
        return redirect("imports:batch", batch.pk)
    # What is ticked: the author's last choices, or at first every work that the
    # archive does not seem to have already.
    for work in preview.works:
        if form.is_bound:
            work.ticked = str(work.index) in request.POST.getlist("work")
            work.ticked_tags = set(request.POST.getlist(f"accept-{work.index}"))
            work.typed_title = request.POST.get(f"title-{work.index}", "")
        else:
            work.ticked, work.ticked_tags = work.chosen, set()
    context = {"batch": batch, "preview": preview, "form": form}
    return render(request, "imports/preview.html", context)
