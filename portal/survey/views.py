"""Answering the evaluation survey through its single-use link (no login: the link is enough)."""
from flask import Blueprint, render_template, request

from portal.core import links
from portal.rules.survey import FREE_TEXT_LIMIT, QUESTIONS, check
from portal.survey import emails, evaluation

bp = Blueprint("survey", __name__)


@bp.route("/survey/<token>", methods=["GET", "POST"])
def answer(token):
    checked = links.check(emails.PURPOSE, token)
    if checked.problem == "forged":
        return render_template("accounts/link_problem.html", problem="forged", kind="survey"), 404
    if checked.problem in ("used", "revoked"):
        return render_template("survey/done.html", already=True), 410
    if checked.problem == "expired":
        return render_template("accounts/link_problem.html", problem="expired", kind="survey"), 410
    answers, problems = {}, {}
    if request.method == "POST":
        answers, problems = check(request.form)
        if not problems:
            if not evaluation.record(checked.link, answers):
                return render_template("survey/done.html", already=True), 410
            return render_template("survey/done.html", already=False)
    return render_template("survey/answer.html", questions=QUESTIONS, given=request.form, problems=problems,
                           limit=FREE_TEXT_LIMIT), 400 if problems else 200
