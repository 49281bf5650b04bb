"""A declared field → a template column: number format, width and data validation.

The validation follows the field's type and the school config: dropdowns for grades, classes,
subjects and teachers come from the config's sheets; ranges from the field's bounds.
"""

from __future__ import annotations

from typing import Any

from toolkit.base.classnames import GRADE_NAMES, class_name, grade_name
from toolkit.base.text import display_width
from toolkit.config.model import SUBJECT_SYNONYMS, SchoolConfig
from toolkit.records.fields import Field
from toolkit.render.templates.book import (
    Column,
    TemplateBook,
    date_validation,
    list_validation,
    number_validation,
    percent_validation,
    prompt_only,
)

_ROLES = {"date": "date", "int": "int", "decimal": "score", "percent": "percent_input"}


def template_title(config: SchoolConfig, what: str) -> str:
    """``博山区实验小学 2025-2026学年第二学期 作业检查``; blanks to fill when there is no config."""
    school = config.school or "＿＿＿＿＿＿学校"
    term = config.term_label or "＿＿＿＿学年第＿学期"
    return f"{school} {term} {what}"


def grade_choices(config: SchoolConfig) -> list[str]:
    return [grade_name(g) for g in (config.grades or sorted(GRADE_NAMES))]


def class_choices(config: SchoolConfig) -> list[str]:
    return [class_name(g, n) for g in config.grades for n in config.class_numbers(g)]


def subject_choices(config: SchoolConfig) -> list[str]:
    if not config.grades and not config.rules:
        return list(SUBJECT_SYNONYMS)
    found = [s for g in config.grades for s in config.subjects_for(g)]
    found += [s for (_, s) in config.rules]
    return sorted(dict.fromkeys(found), key=config.subject_order)


def field_column(book: TemplateBook, f: Field, config: SchoolConfig) -> Column:
    width = f.width or max(8, display_width(f.label) + 4, display_width(str(f.example)) + 3)
    return Column(
        header=f.label,
        role=_ROLES.get(f.type, "text"),
        width=width,
        required=f.required,
        validation=field_validation(book, f, config),
    )


def field_validation(book: TemplateBook, f: Field, config: SchoolConfig) -> dict[str, Any]:
    title = f.label
    help_text = f.help or f"请填写{f.label}"
    if f.type == "date":
        return date_validation(title)
    if f.type in ("int", "decimal"):
        low, high = f.bounds(config)
        return number_validation(
            title,
            low or 0,
            high if high is not None else 1e9,
            whole=f.type == "int",
            unit=f.unit if f.unit != "分" else "",
        )
    if f.type == "percent":
        return percent_validation(title)
    if f.type == "yesno":
        return list_validation(book.list_source(["是", "否"]), title, help_text)
    if f.type == "choice":
        return list_validation(book.list_source(list(f.choices)), title, help_text)
    if f.type == "grade":
        return list_validation(book.list_source(grade_choices(config)), title, help_text)
    if f.type == "class" and class_choices(config):
        return list_validation(book.list_source(class_choices(config)), title, help_text)
    if f.type == "subject":
        prompt = "请从列表选择学科。"
        return list_validation(
            book.list_source(subject_choices(config)), title, prompt, strict=False
        )
    if f.type == "person" and config.teachers:
        prompt = f"{help_text}。可从列表选择，也可直接填写。"
        return list_validation(book.list_source(config.teachers), title, prompt, strict=False)
    return prompt_only(title, help_text)
