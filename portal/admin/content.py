"""Editing the texts the scheme owns: Markdown, previewed, published as numbered versions."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.admin import bp
from portal.core import content
from portal.core.access import me
from portal.core.forms import strip
from portal.core.htmx import render_htmx
from portal.models import Content


class ContentForm(FlaskForm):
    title = StringField("Title", filters=[strip], validators=[
        DataRequired("Enter a title"), Length(max=120, message="The title must be 120 characters or fewer")])
    body = TextAreaField("Text", filters=[strip],
                         description="Markdown: ## for a heading, - for a list item, **bold**, [a link](https://…).",
                         validators=[DataRequired("Enter the text"),
                                     Length(max=30000, message="The text must be 30,000 characters or fewer")])


@bp.route("/content")
def content_list():
    newest = content.newest_of_each()
    texts = [(key, newest[key], content.TEXTS[key]) for key in content.TEXTS]
    return render_template("admin/content_list.html", texts=texts)


@bp.route("/content/<key>", methods=["GET", "POST"])
def content_edit(key):
    if key not in content.TEXTS:
        abort(404)
    current = content.current(key)
    form = ContentForm(obj=current)
    previewing = form.validate_on_submit()
    if previewing and request.form.get("action") == "publish":
        published = content.publish(key, form.title.data, form.body.data, me())
        flash(f"Version {published.version} of “{published.title}” is published."
              + (" Mentees will be asked to accept it at their next visit." if key == "agreement" else ""),
              "success")
        return redirect(url_for("admin.content_edit", key=key))
    context = {"form": form, "key": key, "current": current, "text": content.TEXTS[key], "preview": form.body.data if previewing else None,
               "versions": Content.select().where(Content.key == key).order_by(Content.version.desc())}
    if previewing:
        return render_htmx("admin/content_edit.html", "_partials/content_preview.html", **context)
    return render_template("admin/content_edit.html", **context), 400 if form.errors else 200


@bp.route("/content/<key>/<int:version>")
def content_version(key, version):
    found = Content.get_or_none((Content.key == key) & (Content.version == version))
    if found is None:
        abort(404)
    return render_template("home/text.html", agreement=found, past_version=True)
