#!/usr/bin/python3
"""Validates STIX 2.1 bundles (JSON files, one per argument) against the official STIX 2.1
JSON schemas in ../shared/stix beside the checkout (or $CEPTOAR_STIX; CI has them there),
offline: every schema file is loaded into a store keyed by its $id, so the relative $refs
resolve locally (../shared/stix/README.md).  Each object is validated against
the schema of its type; the bundle envelope and the Incident Core Extension (whose schema is
not among the official files) are checked here.  Prints one line per fault; exit status 1
if any."""
import json
import os
import re
import sys

import jsonschema

STIX = os.environ.get('CEPTOAR_STIX') or os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'shared', 'stix')
SCHEMAS = os.path.join(STIX, 'cti-stix2-json-schemas', 'schemas')
if not os.path.isdir(SCHEMAS):
    sys.exit('the official STIX 2.1 schemas are not in %s: put ../shared/stix beside the checkout, '
             'or set CEPTOAR_STIX' % STIX)
BY_TYPE = {
    'incident': 'sdos/incident.json',
    'identity': 'sdos/identity.json',
    'relationship': 'sros/relationship.json',
    'marking-definition': 'common/marking-definition.json',
    'extension-definition': 'common/extension-definition.json',
}
CORE = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126'
TLP = {o['id']: o for o in json.load(open(os.path.join(SCHEMAS, '..', '..', 'tlp-2.0-marking-definitions.json')))}
ID = re.compile(r'^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$')

store = {}
for root, _, files in os.walk(SCHEMAS):
    for f in files:
        if f.endswith('.json'):
            s = json.load(open(os.path.join(root, f)))
            store[s['$id']] = s
validators = {}
for t, rel in BY_TYPE.items():
    s = json.load(open(os.path.join(SCHEMAS, rel)))
    validators[t] = jsonschema.Draft202012Validator(
        s, resolver=jsonschema.RefResolver(s['$id'], s, store=store))


def faults(b):
    if b.get('type') != 'bundle':
        yield '$.type: not bundle'
    if not (isinstance(b.get('id'), str) and b['id'].startswith('bundle--') and ID.match(b['id'])):
        yield '$.id: %r' % b.get('id')
    objs = b.get('objects')
    if not isinstance(objs, list) or not objs:
        yield '$.objects: not a non-empty list'
        return
    ids = set()
    for i, o in enumerate(objs):
        p = '$.objects[%d]' % i
        v = validators.get(o.get('type'))
        if v is None:
            yield '%s: type %r has no schema here' % (p, o.get('type'))
            continue
        for e in v.iter_errors(o):
            yield '%s%s: %s' % (p, ''.join('[%r]' % x for x in e.absolute_path), e.message)
        if o['id'] in ids:
            yield '%s.id: duplicate %s' % (p, o['id'])
        ids.add(o['id'])
        if o['type'] == 'marking-definition' and o['id'] in TLP and o != TLP[o['id']]:
            yield '%s: not the official TLP 2.0 object' % p
        if o['type'] == 'incident':
            c = o.get('extensions', {}).get(CORE)
            if c is None:
                yield '%s: no Incident Core Extension' % p
                continue
            if c.get('extension_type') != 'property-extension':
                yield '%s.extensions.core.extension_type' % p
            if c.get('determination') not in ('blocked', 'failed-attempt', 'false-positive', 'low-value', 'successful-attempt', 'suspected'):
                yield '%s.extensions.core.determination: %r' % (p, c.get('determination'))
            if c.get('investigation_status') not in ('new', 'open', 'closed'):
                yield '%s.extensions.core.investigation_status: %r' % (p, c.get('investigation_status'))
            for a in c.get('availability_impacts', []):
                if not (isinstance(a.get('availability_impact'), int) and 0 <= a['availability_impact'] <= 100):
                    yield '%s.extensions.core.availability_impacts: %r' % (p, a)
            for k, n in c.get('impacted_entity_counts', {}).items():
                if not (isinstance(n, int) and n >= 0):
                    yield '%s.extensions.core.impacted_entity_counts.%s: %r' % (p, k, n)
    # every reference names an object of the bundle (or an official TLP marking)
    for i, o in enumerate(objs):
        refs = [o.get(k) for k in ('created_by_ref', 'source_ref', 'target_ref') if k in o]
        refs += o.get('object_marking_refs', [])
        refs += [k for k in o.get('extensions', {}) if k.startswith('extension-definition--') and k != CORE and k not in TLP
                 and k != 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d']
        for r in refs:
            if r not in ids:
                yield '$.objects[%d]: reference %s to no object of the bundle' % (i, r)


bad = 0
for f in sys.argv[1:]:
    for m in faults(json.load(open(f))):
        print('%s: %s' % (f, m))
        bad += 1
sys.exit(1 if bad else 0)
