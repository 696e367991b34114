"""The corpus of malformed inputs that ``tests/test_corpus.py`` feeds to spm.

Run ``python tests/corpus/generate.py`` to write again the small files committed beside this
script (a few KB each). The big ones are made by the tests themselves, never committed:
``zip_bomb`` (a zip whose entries inflate to 4 GB) and ``northwind_orders`` (830 order lines,
176 of them with an unquoted comma in the address, as in the public Northwind orders.csv).

Writing password.xlsx needs msoffcrypto-tool (``pip install msoffcrypto-tool``), which spm
does not use; the other files need only what the tests need.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import xlsxwriter

CORPUS = Path(__file__).resolve().parent
SALES = [
    ["date", "rep_id", "customer_id", "amount"],
    ["2025-07-01", "R001", "C001", "1200.50"],
    ["2025-07-02", "R002", "C002", "880"],
    ["2025-08-15", "R001", "C003", "2450.25"],
]
PASSWORD = "spm"


def sales_workbook() -> bytes:
    """A small, valid workbook of sales lines: what the damaged files started as."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("sales")
    for r, row in enumerate(SALES):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def sales_text(separator: str = ",") -> str:
    return "".join(separator.join(row) + "\n" for row in SALES)


def more_fields(path: Path) -> None:
    """A CSV line whose amount 1,000 was not quoted: five fields under a four-column header."""
    path.write_text(sales_text() + "2025-08-20,R002,C004,1,000\n", encoding="utf-8")


def truncated(path: Path) -> None:
    """A workbook cut off halfway, as an interrupted download leaves it."""
    whole = sales_workbook()
    path.write_bytes(whole[: len(whole) // 2])


def web_page(path: Path) -> None:
    """An HTML table saved under an .xlsx name, as many web reports 'export to Excel'."""
    cells = "".join(
        "<tr>" + "".join(f"<td>{value}</td>" for value in row) + "</tr>\n" for row in SALES
    )
    path.write_text(
        f'<html><head><meta charset="utf-8"></head><body><table>\n{cells}</table></body></html>\n',
        encoding="utf-8",
    )


def text(path: Path) -> None:
    """A CSV file renamed .xlsx."""
    path.write_text(sales_text(), encoding="utf-8")


def word(path: Path) -> None:
    """A Word document renamed .xlsx: a zip, but no workbook (the three parts Word needs)."""
    package = "http://schemas.openxmlformats.org/package/2006"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    body = "".join(f"<w:p><w:r><w:t>{' '.join(row)}</w:t></w:r></w:p>" for row in SALES)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as document:
        document.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
        )
        document.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{office}" Target="word/document.xml"/></Relationships>',
        )
        document.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )


def macros(path: Path) -> None:
    """A macro-enabled workbook. The VBA project is a stand-in: spm refuses any workbook that
    carries one, whatever it holds."""
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("sales").write_row(0, 0, SALES[0])
    stand_in = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    book.add_vba_project(io.BytesIO(stand_in), is_stream=True)
    book.close()


def links(path: Path) -> None:
    """A workbook linking to another workbook, as Excel writes a cross-workbook formula."""
    link = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships" r:id="rId1"><sheetNames><sheetName val="sales"/></sheetNames>'
        "</externalBook></externalLink>"
    )
    relationship = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/externalLinkPath" Target="budget.xlsx" TargetMode="External"/>'
        "</Relationships>"
    )
    with (
        zipfile.ZipFile(io.BytesIO(sales_workbook())) as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for item in old.infolist():
            new.writestr(item, old.read(item))
        new.writestr("xl/externalLinks/externalLink1.xml", link)
        new.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", relationship)


def password(path: Path) -> None:
    """A workbook encrypted with a password, as Excel's 'Encrypt with Password' saves it."""
    from msoffcrypto.format.ooxml import OOXMLFile  # only to write this file again

    with path.open("wb") as out:
        OOXMLFile(io.BytesIO(sales_workbook())).encrypt(PASSWORD, out)


SMALL = {
    "more_fields.csv": more_fields,
    "truncated.xlsx": truncated,
    "web_page.xlsx": web_page,
    "text.xlsx": text,
    "word.xlsx": word,
    "macros.xlsm": macros,
    "links.xlsx": links,
    "password.xlsx": password,
}


# ---------------------------------------------------------------------- generated ones

KERNEL = 64 * 1024 * 1024  # bytes of zeros that every entry of the bomb inflates to


def zip_bomb(path: Path, entries: int = 65) -> int:
    """A zip bomb of overlapping entries: one deflated run of KERNEL zeros (64 KB on disk),
    and ``entries`` central-directory entries that all point at it. Returns the bytes it
    inflates to: 65 entries make 4,160 MB, past spm's 4 GB bound."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(1024 * 1024)
    kernel = b"".join(squeeze.compress(block) for _ in range(KERNEL // len(block)))
    kernel += squeeze.flush()
    crc = 0
    for _ in range(KERNEL // len(block)):
        crc = zlib.crc32(block, crc)
    name = b"xl/worksheets/sheet1.xml"
    sizes = (crc, len(kernel), KERNEL, len(name))
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes, 0) + name
    central = b"".join(
        struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, 0)
        + name
        for _ in range(entries)
    )
    start = len(local) + len(kernel)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, len(central), start, 0)
    path.write_bytes(local + kernel + central + end)
    return entries * KERNEL


NORTHWIND_HEADER = (
    "orderID,customerID,employeeID,orderDate,requiredDate,shippedDate,shipVia,freight,"
    "shipName,shipAddress,shipCity,shipRegion,shipPostalCode,shipCountry"
)
# Made-up customers in the style of Northwind's: (id, name, address, city, region, postcode,
# country). Street-then-number addresses carry a comma, which the export does not quote.
CUSTOMERS = [
    ("ALFKI", "Alfreds Futterkiste", "Obere Str. 57", "Berlin", "NULL", "12209", "Germany"),
    ("BONAP", "Bon app'", "12 rue des Bouchers", "Marseille", "NULL", "13008", "France"),
    ("ERNSH", "Ernst Handel", "Kirchgasse 6", "Graz", "NULL", "8010", "Austria"),
    ("QUICK", "QUICK-Stop", "Taucherstraße 10", "Cunewalde", "NULL", "01307", "Germany"),
    ("SAVEA", "Save-a-lot Markets", "187 Suffolk Ln.", "Boise", "ID", "83720", "USA"),
    ("SEVES", "Seven Seas Imports", "90 Wadhurst Rd.", "London", "NULL", "OX15 4NB", "UK"),
    ("GODOS", "Godos Cocina Típica", "C/ Romero 33", "Sevilla", "NULL", "41101", "Spain"),
]
COMMA_CUSTOMERS = [
    ("HANAR", "Hanari Carnes", "Rua do Mercado, 12", "Rio de Janeiro", "RJ", "05454-876", "Brazil"),
    ("QUEDE", "Que Delícia", "Rua da Panificadora, 12", "Rio de Janeiro", "RJ", "02389-673",
     "Brazil"),
    ("COMMI", "Comércio Mineiro", "Av. dos Lusíadas, 23", "São Paulo", "SP", "05432-043", "Brazil"),
    ("LILAS", "LILA-Supermercado", "Carrera 52 con Ave. Bolívar, Llano Largo", "Barquisimeto",
     "Lara", "3508", "Venezuela"),
]  # fmt: skip


@dataclass(frozen=True)
class Orders:
    """What ``northwind_orders`` wrote: each line's freight, order date, and whether its
    address had the unquoted comma (its Excel row is its index + 2)."""

    freight: list[Decimal]
    dates: list[dt.date]
    shifted: list[bool]

    def rows_shifted(self) -> list[int]:
        return [i + 2 for i, bad in enumerate(self.shifted) if bad]

    def freight_in(self, year: int) -> Decimal:
        """The freight of the lines read whole, ordered in ``year``."""
        return sum(
            (
                f
                for f, d, bad in zip(self.freight, self.dates, self.shifted, strict=True)
                if not bad and d.year == year
            ),
            Decimal(0),
        )


def northwind_orders(path: Path, lines: int = 830, shifted: int = 176) -> Orders:
    """An orders.csv like the public Northwind one: ``lines`` orders from 1996-07-04 to
    1998-05-06, ``shifted`` of them shipped to an address with an unquoted comma, so that
    each such line has one field more than the header (seeded: the same file every time)."""
    rng = random.Random(1996)
    bad = set(rng.sample(range(lines), shifted))
    first = dt.date(1996, 7, 4)
    out = [NORTHWIND_HEADER]
    freight, dates = [], []
    for i in range(lines):
        customer = rng.choice(COMMA_CUSTOMERS if i in bad else CUSTOMERS)
        ordered = first + dt.timedelta(days=i * 671 // (lines - 1))
        cost = Decimal(rng.randint(2, 100764)) / 100
        shipped = "NULL" if i >= lines - 21 else f"{ordered + dt.timedelta(days=7)} 00:00:00.000"
        fields = [
            str(10248 + i),
            customer[0],
            str(rng.randint(1, 9)),
            f"{ordered} 00:00:00.000",
            f"{ordered + dt.timedelta(days=28)} 00:00:00.000",
            shipped,
            str(rng.randint(1, 3)),
            str(cost),
            *customer[1:],
        ]
        out.append(",".join(fields))  # unquoted, as the public file is
        freight.append(cost)
        dates.append(ordered)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return Orders(freight, dates, [i in bad for i in range(lines)])


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    for name, write in SMALL.items():
        write(folder / name)
        print(folder / name)
