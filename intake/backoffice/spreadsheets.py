"""Spreadsheets as the team opens them: CSV as French spreadsheet software reads it (a
byte-order mark that says UTF-8, columns separated by semicolons, the comma as the decimal
mark, a cell that starts like a formula kept as text) and XLSX sheets with a frozen,
filterable heading row. Shared by the queue's export and the reports' exports."""

import codecs
import csv
import datetime

from django.utils import formats
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from wagtail.admin.views.mixins import Echo

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An XLSX sheet's name is at most 31 characters long.
SHEET_TITLE_LENGTH = 31


def csv_writer(fieldnames):
    """A writer whose ``writerow`` returns the line, for a streamed response."""
    return csv.DictWriter(Echo(), fieldnames=fieldnames, delimiter=";")


def csv_heading(writer, headings):
    """The first line: the byte-order mark, then the headings (a dict by field name)."""
    return codecs.BOM_UTF8 + writer.writerow(headings)


def csv_cell(value):
    """A value as a French spreadsheet reads it in a cell."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(value, float):
        return formats.number_format(value, use_l10n=True)
    value = str(value)
    # What the applicant typed stays text: a cell starting like a formula is not one.
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_lines(headings, rows):
    """The CSV of a table: ``headings``, then ``rows`` of values, line by line (bytes)."""
    fields = [str(index) for index in range(len(headings))]
    writer = csv_writer(fields)
    yield csv_heading(writer, dict(zip(fields, map(str, headings), strict=True)))
    for row in rows:
        yield writer.writerow(dict(zip(fields, map(csv_cell, row), strict=True)))


def xlsx_workbook():
    return Workbook(write_only=True, iso_dates=True)


def xlsx_sheet(workbook, title, widths):
    """A new sheet named ``title``, its columns ``widths`` wide, its first row frozen."""
    sheet = workbook.create_sheet(title=title[:SHEET_TITLE_LENGTH])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def xlsx_filter(sheet, columns, rows):
    """Let the heading row filter the ``rows`` rows (the heading included) below it."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows}"


def xlsx_cell(sheet, value):
    """A cell of a write-only sheet; a text that looks like a formula stays text."""
    cell = WriteOnlyCell(sheet, value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def xlsx_table(output, title, headings, rows, width=24):
    """One sheet named ``title``: the headings, then the rows, written to ``output``."""
    workbook = xlsx_workbook()
    sheet = xlsx_sheet(workbook, title, [width] * len(headings))
    sheet.append([str(heading) for heading in headings])
    count = 1
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
        count += 1
    xlsx_filter(sheet, len(headings), count)
    workbook.save(output)
