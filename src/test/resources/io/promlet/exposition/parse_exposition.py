"""Parses an exposition from stdin with the Python client's reference parsers and prints it as JSON.

Usage: parse_exposition.py text|openmetrics < exposition

Prints a list of families: {name, type, help, unit, samples: [{name, labels: [[name, value], ...], value,
exemplar: null | {labels, value, timestamp}}]}. Numbers are printed as repr() strings ('0.25', 'nan', 'inf'),
timestamps as str() ('1700000000.123000000'), so that nothing is lost or rounded on the way to the test.
"""
import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_text


def number(value):
    return repr(float(value))


def labels(label_dict):
    return [[name, value] for name, value in label_dict.items()]


def exemplar(e):
    if e is None:
        return None
    return {
        'labels': labels(e.labels),
        'value': number(e.value),
        'timestamp': None if e.timestamp is None else str(e.timestamp),
    }


def main():
    parse = {'text': parse_text, 'openmetrics': parse_openmetrics}[sys.argv[1]]
    exposition = sys.stdin.buffer.read().decode('utf-8')
    families = []
    for family in parse(exposition):
        families.append({
            'name': family.name,
            'type': family.type,
            'help': family.documentation,
            'unit': family.unit,
            'samples': [{
                'name': s.name,
                'labels': labels(s.labels),
                'value': number(s.value),
                'exemplar': exemplar(s.exemplar),
            } for s in family.samples],
        })
    json.dump(families, sys.stdout, ensure_ascii=True)


main()
