//! Every table of a scenario refuses a key it does not know: the walker inserts an unknown
//! key into each table, inline table and array-of-tables entry of every bundled scenario (and
//! a fixture with the forms they do not use), one at a time, and the scenario must then fail
//! to load with the key named.

use crate::common;

use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item, Value};

/// The key inserted; no table of the schema has it.
const UNKNOWN: &str = "zz_not_a_key";

/// A path to a table inside a document: keys and array indices.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every table reachable in `item`, by path (the root first).
fn tables(item: &Item, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match item {
        Item::Table(t) => {
            out.push(path.clone());
            for (k, v) in t.iter() {
                path.push(Step::Key(k.to_string()));
                tables(v, path, out);
                path.pop();
            }
        }
        Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                path.push(Step::Index(i));
                tables(&Item::Table(t.clone()), path, out);
                path.pop();
            }
        }
        Item::Value(v) => values(v, path, out),
        Item::None => {}
    }
}

fn values(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::InlineTable(t) => {
            out.push(path.clone());
            for (k, v) in t.iter() {
                path.push(Step::Key(k.to_string()));
                values(v, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(Step::Index(i));
                values(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Inserts the unknown key into the table at `path`.
fn insert(item: &mut Item, path: &[Step]) {
    let Some((first, rest)) = path.split_first() else {
        match item {
            Item::Table(t) => {
                t.insert(UNKNOWN, toml_edit::value(1));
            }
            Item::Value(Value::InlineTable(t)) => {
                t.insert(UNKNOWN, Value::from(1));
            }
            other => panic!("not a table: {other:?}"),
        }
        return;
    };
    match (item, first) {
        (Item::Table(t), Step::Key(k)) => insert(&mut t[k.as_str()], rest),
        (Item::ArrayOfTables(a), Step::Index(i)) => {
            let t = a.get_mut(*i).expect("index");
            let mut inner = Item::Table(t.clone());
            insert(&mut inner, rest);
            *t = inner.into_table().expect("table");
        }
        (Item::Value(v), step) => insert_value(v, step, rest),
        (other, step) => panic!("cannot follow {step:?} into {other:?}"),
    }
}

fn insert_value(v: &mut Value, step: &Step, rest: &[Step]) {
    let next = match (v, step) {
        (Value::InlineTable(t), Step::Key(k)) => t.get_mut(k).expect("key"),
        (Value::Array(a), Step::Index(i)) => a.get_mut(*i).expect("index"),
        (other, step) => panic!("cannot follow {step:?} into {other:?}"),
    };
    match rest.split_first() {
        None => match next {
            Value::InlineTable(t) => {
                t.insert(UNKNOWN, Value::from(1));
            }
            other => panic!("not a table: {other:?}"),
        },
        Some((s, r)) => insert_value(next, s, r),
    }
}

/// Tables whose keys are names or key paths chosen by the user, not schema keys.
fn free_form(path: &[Step]) -> bool {
    matches!(path, [Step::Key(k)] if k == "devices" || k == "sweep")
        || matches!(path.first(), Some(Step::Key(k)) if k == "sweep")
}

fn scenario_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("scenario folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "toml") {
                out.push(p);
            }
        }
    }
    let mut files = vec![];
    walk(&common::root().join("scenarios"), &mut files);
    files.push(common::root().join("tests/fixtures/every_form.toml"));
    files
}

#[test]
fn every_table_refuses_an_unknown_key() {
    let mut checked = 0;
    let mut failures = vec![];
    for file in scenario_files() {
        let text = std::fs::read_to_string(&file).expect("scenario text");
        wattsim::scenario::parse(&text, &file)
            .unwrap_or_else(|e| panic!("{} must load unchanged: {e}", file.display()));
        let doc: DocumentMut = text.parse().expect("TOML");
        let mut paths = vec![];
        tables(doc.as_item(), &mut vec![], &mut paths);
        for path in paths.iter().filter(|p| !free_form(p)) {
            let mut edited = doc.clone();
            insert(edited.as_item_mut(), path);
            let source = edited.to_string();
            checked += 1;
            match wattsim::scenario::parse(&source, &file) {
                Ok(_) => failures.push(format!("{}: {path:?} accepted {UNKNOWN}", file.display())),
                Err(e) if !e.to_string().contains(UNKNOWN) => failures.push(format!(
                    "{}: {path:?} refused without naming the key: {e}",
                    file.display()
                )),
                Err(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The bundled scenarios and the fixture hold well over a hundred tables.
    assert!(checked > 100, "only {checked} tables walked");
}
