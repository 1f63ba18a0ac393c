"""Each field's own rules (type, blank, choices, length, validators) compiled once per model into a
quick test of a value. A bulk import validates a hundred thousand objects; Django's Field.clean
builds its messages' parameters for every value even when nothing is wrong. The quick test only
ever says "valid as it is": any value it is not sure of goes through Field.clean, so every message
and every converted value is exactly Django's."""

import re
from functools import cache
from itertools import repeat

from django.core.validators import EmailValidator, MaxLengthValidator, RegexValidator
from django.db import models

TEXT = (models.CharField, models.TextField)
WHOLE = (models.IntegerField,)


@cache
def quick_checks(model) -> list:
    """[(field, test or None)] for the fields Model.clean_fields looks at, in its order."""
    return [(field, quick_test(field)) for field in model._meta.fields]


@cache
def quick_column_checks(model) -> dict:
    """{field: test of a column of values, True when the quick test passes every one of them} for the
    fields whose test works on a whole column in C (a text's length, emptiness, choices and patterns);
    the test counts an empty value of a field that may be blank as passing, as Model.clean_fields does."""
    tests = {}
    for field, test in quick_checks(model):
        if test is not None and isinstance(field, TEXT) and not isinstance(field, models.FileField):
            tests[field] = text_column_test(field)
    return tests


def quick_test(field):
    if field.is_relation or field.primary_key:
        return None
    # The length the field itself sets is tested directly; other validators are called as they are.
    own_length = [
        v for v in field.validators if isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length
    ]
    others = [v for v in field.validators if v not in own_length]
    choices = {str(value) for value, _label in field.flatchoices} if field.choices and field.editable else None
    if isinstance(field, TEXT) and not isinstance(field, models.FileField):
        return text_test(field, choices, [quick_validator(v) for v in others])
    if isinstance(field, models.BooleanField):
        return lambda value: type(value) is bool and passes(others, value)
    if isinstance(field, WHOLE) and choices is None:
        return whole_test(others)
    return None


def text_test(field, choices, validators):
    limit = field.max_length
    empty_allowed = field.blank or not field.editable

    def test(value) -> bool:
        if not isinstance(value, str):
            return False
        if (not value and not empty_allowed) or (limit is not None and len(value) > limit):
            return False
        if choices is not None and str(value) not in choices:
            return False
        return passes(validators, value)

    return test


def text_column_test(field):
    limit = field.max_length
    empty_allowed = field.blank or not field.editable
    own_length = [
        v for v in field.validators if isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length
    ]
    validators = [column_validator(v) for v in field.validators if v not in own_length]
    choices = {str(value) for value, _label in field.flatchoices} if field.choices and field.editable else None

    def test(values: list) -> bool:
        if not values:
            return True
        if not all(map(isinstance, values, repeat(str))):
            return False  # a None of a blank field, say: each value is then tested alone
        if limit is not None and max(map(len, values)) > limit:
            return False
        if not empty_allowed and not all(values):
            return False
        looked_at = list(filter(None, values)) if field.blank else values  # "" of a blank field is not
        if choices is not None and not choices.issuperset(looked_at):
            return False
        return all(validator(looked_at) for validator in validators)

    return test


def column_validator(validator):
    """A validator as a test of a column of texts: a RegexValidator's pattern searched in C, a validator's
    own test of a column (passes_all) where it has one; any other validator's quick test called on
    each value."""
    if hasattr(validator, "passes_all"):
        return validator.passes_all
    if type(validator) is not RegexValidator:
        single = quick_validator(validator)
        return lambda values: all(passes([single], value) for value in values)
    search = re.compile(validator.regex.pattern, validator.regex.flags).search
    if validator.inverse_match:
        return lambda values: not any(map(search, values))
    return lambda values: all(map(search, values))


def whole_test(validators):
    def test(value) -> bool:
        return type(value) is int and passes(validators, value)

    return test


def quick_validator(validator):
    """A validator as a quick test of a str: a RegexValidator's or an EmailValidator's own test without
    the lazily compiled patterns' proxies; any other validator is called as it is."""
    if type(validator) is EmailValidator:
        return quick_email(validator)
    if type(validator) is RegexValidator:
        pattern = re.compile(validator.regex.pattern, validator.regex.flags)
        inverse = validator.inverse_match

        def test(value):
            if (pattern.search(value) is not None) == inverse:
                raise ValueError  # not passed: the slow, exact way says why

        return test
    return validator


def quick_email(validator: EmailValidator):
    """EmailValidator's test of a usual address (dot-atom user, host name domain or an allowed one);
    anything else (an address literal, a domain that may need IDNA) is left to the validator itself."""
    user = re.compile(validator.user_regex.pattern, validator.user_regex.flags)
    domain = re.compile(validator.domain_regex.pattern, validator.domain_regex.flags)
    allowed = frozenset(validator.domain_allowlist)

    def test(value):
        if not value or "@" not in value or len(value) > 320:
            raise ValueError
        user_part, domain_part = value.rsplit("@", 1)
        if user.match(user_part) is None or (domain_part not in allowed and domain.match(domain_part) is None):
            raise ValueError

    return test


def passes(validators, value) -> bool:
    try:
        for validator in validators:
            validator(value)
    except Exception:
        return False
    return True
