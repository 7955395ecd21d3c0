"""Pages for reading, posting and editing works. Each parses, calls a service, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanshelf.reading import services as reading
from fanshelf.reading.interstitial import adult_content_notice
from fanshelf.reading.preferences import wants_entire_work
from fanshelf.tags.suggestions import suggest_tags
from fanshelf.works import guest_pages, selectors, services
from fanshelf.works.forms import (
    ChapterForm,
    EditWorkForm,
    NewWorkForm,
    accepted_suggestions,
    initial_for_work,
    with_accepted_suggestions,
)
from fanshelf.works.models import Chapter, Series, Work


def _readable_work(request, work_id: int) -> Work:
    try:
        return selectors.work_for_reader(work_id=work_id, viewer=request.user)
    except Work.DoesNotExist:
        raise Http404(_("This work does not exist, or you cannot see it.")) from None


def _own_work(request, work_id: int) -> Work:
    work = _readable_work(request, work_id)
    if not selectors.is_creator_cached(request.user, work):
        raise PermissionDenied(_("Only the work's creators can change it."))
    return work


def _reading_context(request, work: Work, chapters: list[Chapter], shown: list[Chapter]) -> dict:
    return {
        "work": work,
        "chapters": chapters,
        "shown": shown,
        "is_creator": selectors.is_creator_cached(request.user, work),
        "entire_work": len(shown) == len(chapters),
    }


def work_detail(request, work_id: int):
    """A work's first chapter, or the whole work when asked or when it has one chapter.

    Guests get it from the page cache when it is there (``guest_pages``).
    """
    page = guest_pages.find_work_page(request, work_id)
    if (cached := guest_pages.cached_work_page(request, page, work_id)) is not None:
        return cached
    work = _readable_work(request, work_id)
    chapters = selectors.chapters_for_reader(work=work, viewer=request.user)
    if not chapters:
        raise Http404(_("This work has no chapters you can read yet."))
    if notice := adult_content_notice(request, work):
        return notice
    full = wants_entire_work(request) or len(chapters) == 1
    shown = chapters if full else chapters[:1]
    reading.record_visit(request=request, work=work, chapter=shown[0] if len(shown) == 1 else None)
    context = _reading_context(request, work, chapters, shown)
    return guest_pages.store_work_page(
        request, page, work, lambda: render(request, "works/detail.html", context)
    )


def chapter_detail(request, work_id: int, chapter_id: int):
    page = guest_pages.find_work_page(request, work_id)
    if (cached := guest_pages.cached_work_page(request, page, work_id)) is not None:
        return cached
    work = _readable_work(request, work_id)
    chapters = selectors.chapters_for_reader(work=work, viewer=request.user)
    chapter = next((c for c in chapters if c.pk == chapter_id), None)
    if chapter is None:
        raise Http404(_("This chapter does not exist, or you cannot see it."))
    if notice := adult_content_notice(request, work):
        return notice
    context = _reading_context(request, work, chapters, [chapter])
    reading.record_visit(request=request, work=work, chapter=chapter)
    index = chapters.index(chapter)
    context["previous_chapter"] = chapters[index - 1] if index > 0 else None
    context["next_chapter"] = chapters[index + 1] if index + 1 < len(chapters) else None
    return guest_pages.store_work_page(
        request, page, work, lambda: render(request, "works/detail.html", context)
    )


def chapter_index(request, work_id: int):
    work = _readable_work(request, work_id)
    chapters = selectors.chapters_for_reader(work=work, viewer=request.user)
    return render(request, "works/navigate.html", {"work": work, "chapters": chapters})


def _preview(form, *, work_form=True) -> dict:
    """What the typed text will look like, rendered without saving anything."""
    data = form.cleaned_data
    text_format = data.get("text_format", "html")
    preview = {
        "chapter_title": data.get("chapter_title", ""),
        "body": services.to_html(data.get("body", ""), text_format),
    }
    if work_form:
        preview.update(
            title=data.get("title", ""),
            summary=services.to_html(data.get("summary", ""), text_format),
            notes=services.to_html(data.get("notes", ""), text_format),
            end_notes=services.to_html(data.get("end_notes", ""), text_format),
            tags=form.tags().as_dict(),
        )
    return preview


def _suggestions(preview: dict, tags: dict[str, list[str]]):
    """Tags suggested for the previewed text that the work does not have yet."""
    text = "\n".join(preview.get(key, "") for key in ("summary", "body"))
    tagged = [name for names in tags.values() for name in names]
    return suggest_tags(text=text, fandoms=tags.get("fandom", []), tagged=tagged)


@login_required
def new_work(request):
    # Suggested tags the author ticked join the typed ones, so they stay editable.
    form = NewWorkForm(with_accepted_suggestions(request.POST) or None, user=request.user)
    preview = suggestions = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "post")
        if action == "preview":
            preview = _preview(form)
            suggestions = _suggestions(preview, preview["tags"])
        else:
            try:
                work = services.post_work(
                    user=request.user,
                    pseud=form.cleaned_data["pseud"],
                    chapters=[form.chapter_text()],
                    tags=form.tags(),
                    text_format=form.cleaned_data["text_format"],
                    series=form.cleaned_data["series"],
                    state=Work.State.DRAFT if action == "draft" else Work.State.POSTED,
                    **form.work_fields(),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as refusal:  # e.g. a suspended account: keep what was typed
                form.add_error(None, str(refusal))
            else:
                if work.is_posted:
                    messages.success(request, _("Your work was posted."))
                else:
                    messages.success(request, _("Your draft was saved. It is visible only to you."))
                return redirect(work)
    context = {"form": form, "preview": preview, "suggestions": suggestions, "new": True}
    return render(request, "works/work_form.html", context)


@login_required
def edit_work(request, work_id: int):
    work = _own_work(request, work_id)
    form = EditWorkForm(request.POST or None, user=request.user, initial=initial_for_work(work))
    if request.method == "POST" and form.is_valid():
        fields = form.work_fields()
        try:
            services.update_work(
                user=request.user,
                work=work,
                tags=form.tags(),
                text_format=form.cleaned_data["text_format"],
                series=form.cleaned_data["series"],
                **fields,
            )
            if request.POST.get("action") == "post" and work.state == Work.State.DRAFT:
                services.publish_work(user=request.user, work=work)
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as refusal:  # e.g. a suspended account: keep what was typed
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(work)
    return render(request, "works/work_form.html", {"form": form, "work": work, "new": False})


@login_required
def add_chapter(request, work_id: int):
    work = _own_work(request, work_id)
    form = ChapterForm(request.POST or None)
    preview = suggestions = None
    accepted = accepted_suggestions(request.POST)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "post")
        if action == "preview":
            preview = _preview(form, work_form=False)
            suggestions = _suggestions(preview, services.tags_by_type(work))
        else:
            state = Chapter.State.DRAFT if action == "draft" else Chapter.State.POSTED
            try:
                with transaction.atomic():
                    chapter = services.add_chapter(
                        user=request.user, work=work, chapter=form.chapter_text(), state=state
                    )
                    if accepted:
                        tags = services.tags_by_type(work)
                        for name, names in accepted.items():
                            tags[name] += names
                        services.update_work(user=request.user, work=work, tags=tags)
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as refusal:  # e.g. a suspended account: keep what was typed
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("The chapter was added."))
                return redirect(chapter)
    context = {"form": form, "work": work, "preview": preview, "suggestions": suggestions}
    context["accepted"] = {name for names in accepted.values() for name in names}
    return render(request, "works/chapter_form.html", context)


@login_required
def edit_chapter(request, work_id: int, chapter_id: int):
    work = _own_work(request, work_id)
    chapter = get_object_or_404(work.chapters, pk=chapter_id)
    initial = {
        "chapter_title": chapter.title,
        "chapter_summary": chapter.summary,
        "chapter_notes": chapter.notes,
        "body": chapter.body,
        "chapter_end_notes": chapter.end_notes,
        "text_format": "html",
    }
    form = ChapterForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = _preview(form, work_form=False)
        else:
            try:
                services.update_chapter(
                    user=request.user, chapter=chapter, changes=form.chapter_text()
                )
                if request.POST.get("action") == "post":
                    services.post_chapter(user=request.user, chapter=chapter)
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as refusal:  # e.g. a suspended account: keep what was typed
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("The chapter was saved."))
                return redirect(chapter)
    context = {"form": form, "work": work, "chapter": chapter, "preview": preview}
    return render(request, "works/chapter_form.html", context)


@login_required
def reorder_chapters(request, work_id: int):
    work = _own_work(request, work_id)
    chapters = list(work.chapters.order_by("position"))
    error = None
    if request.method == "POST":
        try:
            wanted = {c.pk: int(request.POST.get(f"position_{c.pk}", "")) for c in chapters}
        except ValueError:
            error = _("Give each chapter a position number.")
        else:
            order = sorted(chapters, key=lambda c: (wanted[c.pk], c.position))
            try:
                services.reorder_chapters(
                    user=request.user, work=work, chapter_ids=[c.pk for c in order]
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("The chapters were reordered."))
                return redirect(work)
    return render(
        request, "works/reorder.html", {"work": work, "chapters": chapters, "error": error}
    )


@login_required
def delete_chapter(request, work_id: int, chapter_id: int):
    work = _own_work(request, work_id)
    chapter = get_object_or_404(work.chapters, pk=chapter_id)
    error = None
    if request.method == "POST":
        try:
            services.delete_chapter(user=request.user, chapter=chapter)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The chapter was deleted."))
            return redirect(work)
    context = {"work": work, "chapter": chapter, "error": error}
    return render(request, "works/confirm_delete.html", context)


@login_required
def delete_work(request, work_id: int):
    work = _own_work(request, work_id)
    if request.method == "POST":
        services.delete_work(user=request.user, work=work)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": work.title})
        return redirect("users:works", username=request.user.username)
    return render(request, "works/confirm_delete.html", {"work": work})


@login_required
@require_POST
def publish_work(request, work_id: int):
    work = _own_work(request, work_id)
    try:
        services.publish_work(user=request.user, work=work)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("works:edit", work_id=work.pk)
    messages.success(request, _("Your work was posted."))
    return redirect(work)


def series_detail(request, series_id: int):
    """A series: its summary and creators, then its works in order, with every filter."""
    from fanshelf.discovery.views import listing_context

    series = get_object_or_404(Series, pk=series_id)
    works = selectors.works_in_series(series=series, viewer=request.user)
    if not works.exists():
        raise Http404(_("This series does not exist, or you cannot see any of its works."))
    context = listing_context(request, base=works, default_sort="series")
    context.update(
        series=series, creators=selectors.series_creators(series=series, viewer=request.user)
    )
    return render(request, "works/series.html", context)
