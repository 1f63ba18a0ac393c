"""The validation of a planned object, compiled once per job from its model: each field's own rules
as a quick test of its value (config_objects.models.checks), a default tested once rather than on
every new object, and the model's cross-field rules (clean, the fixed fields' check, clean_links)
called only where the model has them. A row any quick test is not sure of goes through the model's
full_clean instead, so every message a row can get is Django's, word for word."""

from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_init, pre_init

from bulkops.engine.units import Unit, validation_messages
from config_objects.models.base import ConfigObject
from config_objects.models.checks import quick_checks, quick_column_checks

NEVER = object()  # a "default" no value is: a field whose default fails its test is tested on every row


class ObjectRules:
    def __init__(self, model, references: list, blank: dict | None):
        """references: the reference fields whose targets were resolved from names, so exist: only
        their being required is checked, not ForeignKey.validate's query per row; blank: the values a
        new object starts with (new_object_values), or None."""
        self.model = model
        self.excluded = [reference.name for reference in references]
        self.required = [reference for reference in references if not reference.null]
        checked = [(field, field_check(field, test)) for field, test in quick_checks(model)]
        checked = [(field, check) for field, check in checked if field.name not in self.excluded]
        self.stored_checks = [(field.attname, check) for field, check in checked]
        # A value a new object still holds from the blank one is its default, tested here once.
        self.new_checks = []
        for field, check in checked:
            default = NEVER if blank is None else blank.get(field.attname, NEVER)
            if default is not NEVER and not check(default):
                default = NEVER
            self.new_checks.append((field.attname, check, default))
        column_tests = quick_column_checks(model)
        self.column_checks = [
            (attrgetter(attname), check, default, column_tests.get(field) or every(check))
            for (field, _check), (attname, check, default) in zip(checked, self.new_checks, strict=True)
        ]
        self.cross_field = model.clean is not ConfigObject.clean
        self.fixed = bool(model.fixed_fields)
        self.has_link_rules = model.clean_links is not ConfigObject.clean_links

    def fields_pass(self, obj, is_new: bool) -> bool:
        """True when every field's value is surely valid; False when one may not be (or is not)."""
        values = obj.__dict__
        if is_new:
            for attname, check, default in self.new_checks:
                value = values[attname]
                if value is not default and not check(value):
                    return False
            return True
        return all(check(values[attname]) for attname, check in self.stored_checks)

    def validate(self, unit: Unit) -> None:
        """Record on the unit every message its object's own values get, as full_clean would give them
        (without uniqueness, which the engine and the database keep)."""
        obj = unit.instance
        try:
            if not self.fields_pass(obj, unit.is_new):
                obj.full_clean(exclude=self.excluded, validate_unique=False, validate_constraints=False)
            elif self.cross_field or (self.fixed and not unit.is_new):
                obj.clean()
        except ValidationError as error:
            for message in validation_messages(error):
                unit.fail(message)
        self.check_required(unit)

    def validate_new(self, units: list[Unit]) -> None:
        """validate() of each unit's new object, each field's values tested a column at a time: an object
        holding a value a column's test is not sure of is validated alone, as validate() does."""
        objects = [unit.instance for unit in units]
        doubtful = set()
        for value_of, check, default, column_test in self.column_checks:
            values = list(map(value_of, objects))
            if not column_test(values):
                doubtful.update(i for i, value in enumerate(values) if value is not default and not check(value))
        for index, unit in enumerate(units):
            if index in doubtful:
                self.validate(unit)
                continue
            if self.cross_field:
                try:
                    unit.instance.clean()
                except ValidationError as error:
                    for message in validation_messages(error):
                        unit.fail(message)
            self.check_required(unit)

    def check_required(self, unit: Unit) -> None:
        for reference in self.required:
            if unit.instance.__dict__[reference.attname] is None:
                unit.fail(reference.error_messages["null"])

    def validate_links(self, unit: Unit) -> None:
        """Record the messages of the model's rules over the lists the unit's object will have."""
        if not self.has_link_rules:
            return
        try:
            unit.instance.clean_links(unit.links)
        except ValidationError as error:
            for message in validation_messages(error):
                unit.fail(message)


def field_check(field, quick_test):
    """value -> True when Field.clean would surely accept it as it is, as Model.clean_fields decides:
    an empty value of a field that may be blank is not looked at."""
    empty = list(field.empty_values) if field.blank else None
    if quick_test is None and field.primary_key and isinstance(field, models.AutoField):
        quick_test = is_whole_number  # a stored object's key, numbered by the database
    if quick_test is None:
        return (lambda value: value in empty) if empty is not None else (lambda value: False)
    if empty is None:
        return quick_test
    return lambda value: value in empty or quick_test(value)


def every(check):
    """A test of a column of values: check passes each of them."""
    return lambda values: all(map(check, values))


def is_whole_number(value) -> bool:
    return type(value) is int


def new_object_values(model) -> dict | None:
    """{attname: default} of the fields whose default is the same value for every new object (a
    callable's is made per object); None when a model's init signals may change what Model() gives."""
    if post_init.has_listeners(model) or pre_init.has_listeners(model):
        return None
    fields = model._meta.concrete_fields
    return {f.attname: f.get_default() for f in fields if not (f.has_default() and callable(f.default))}
