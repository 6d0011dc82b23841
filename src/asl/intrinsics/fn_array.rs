//! Array intrinsics: `States.Array`, `ArrayPartition`, `ArrayContains`,
//! `ArrayRange`, `ArrayGetItem`, `ArrayLength`, `ArrayUnique`.

use serde_json::Value;

use super::fn_text::{FnResult, invalid};
use super::java_text::java_to_string;
use super::numbers::java_int;
use super::signature::MAX_RANGE_ITEMS;

fn array_arg<'a>(args: &'a [Value], name: &str) -> Result<&'a Vec<Value>, String> {
    match args.first() {
        Some(Value::Array(items)) => Ok(items),
        _ => Err(invalid(name)),
    }
}

/// An integer argument, truncated toward zero as AWS does.
fn int_arg(args: &[Value], index: usize, name: &str) -> Result<i64, String> {
    match args.get(index) {
        Some(Value::Number(n)) => Ok(java_int(n)),
        _ => Err(invalid(name)),
    }
}

pub(crate) fn array(args: &[Value]) -> FnResult {
    Ok(Value::Array(args.to_vec()))
}

pub(crate) fn array_partition(args: &[Value]) -> FnResult {
    let name = "States.ArrayPartition";
    let items = array_arg(args, name)?;
    let size = int_arg(args, 1, name)?;
    let size = usize::try_from(size)
        .ok()
        .filter(|s| *s >= 1)
        .ok_or_else(|| invalid(name))?;
    Ok(Value::Array(
        items
            .chunks(size)
            .map(|chunk| Value::Array(chunk.to_vec()))
            .collect(),
    ))
}

/// AWS matches elements by their string form: `"1"` matches `1`, `"true"`
/// matches `true`, and objects only match with the same key order.
pub(crate) fn array_contains(args: &[Value]) -> FnResult {
    let items = array_arg(args, "States.ArrayContains")?;
    let Some(target) = args.get(1) else {
        return Err(invalid("States.ArrayContains"));
    };
    let wanted = java_to_string(target);
    Ok(Value::Bool(
        items.iter().any(|item| java_to_string(item) == wanted),
    ))
}

/// Number of items `States.ArrayRange(start, end, step)` produces.
pub(crate) fn range_len(start: i64, end: i64, step: i64) -> i64 {
    if step > 0 && start <= end {
        (end - start) / step + 1
    } else if step < 0 && start >= end {
        (start - end) / -step + 1
    } else {
        0
    }
}

pub(crate) fn array_range(args: &[Value]) -> FnResult {
    let name = "States.ArrayRange";
    let start = int_arg(args, 0, name)?;
    let end = int_arg(args, 1, name)?;
    let step = int_arg(args, 2, name)?;
    if step == 0 {
        return Err(invalid(name));
    }
    let count = range_len(start, end, step);
    if count > MAX_RANGE_ITEMS {
        return Err(invalid(name));
    }
    Ok(Value::Array(
        (0..count).map(|i| Value::from(start + i * step)).collect(),
    ))
}

/// `States.ArrayGetItem(array, index)`. AWS returns `null` for any index of
/// an empty array, and fails for a negative or too large index otherwise.
pub(crate) fn array_get_item(args: &[Value]) -> FnResult {
    let name = "States.ArrayGetItem";
    let items = array_arg(args, name)?;
    let index = int_arg(args, 1, name)?;
    if index < 0 {
        return Err(invalid(name));
    }
    if items.is_empty() {
        return Ok(Value::Null);
    }
    usize::try_from(index)
        .ok()
        .and_then(|i| items.get(i))
        .cloned()
        .ok_or_else(|| invalid(name))
}

pub(crate) fn array_length(args: &[Value]) -> FnResult {
    let items = array_arg(args, "States.ArrayLength")?;
    Ok(Value::from(items.len()))
}

/// Removes duplicates (structural equality, key order ignored), keeping the
/// first occurrence.
pub(crate) fn array_unique(args: &[Value]) -> FnResult {
    let items = array_arg(args, "States.ArrayUnique")?;
    let mut unique: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !unique.contains(item) {
            unique.push(item.clone());
        }
    }
    Ok(Value::Array(unique))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn developer_guide_examples() {
        let input = json!([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(array(&[json!(123456)]).unwrap(), json!([123456]));
        assert_eq!(
            array_partition(&[input.clone(), json!(4)]).unwrap(),
            json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]])
        );
        assert_eq!(
            array_contains(&[input.clone(), json!(5)]).unwrap(),
            json!(true)
        );
        assert_eq!(
            array_range(&[json!(1), json!(9), json!(2)]).unwrap(),
            json!([1, 3, 5, 7, 9])
        );
        assert_eq!(
            array_get_item(&[input.clone(), json!(5)]).unwrap(),
            json!(6)
        );
        assert_eq!(array_length(&[input]).unwrap(), json!(9));
        assert_eq!(
            array_unique(&[json!([1, 2, 3, 3, 3, 3, 3, 3, 4])]).unwrap(),
            json!([1, 2, 3, 4])
        );
    }

    #[test]
    fn partition_truncates_and_validates_the_size() {
        let arr = json!([1, 2, 3, 4, 5]);
        assert_eq!(
            array_partition(&[arr.clone(), json!(2.6)]).unwrap(),
            json!([[1, 2], [3, 4], [5]])
        );
        assert_eq!(array_partition(&[json!([]), json!(3)]).unwrap(), json!([]));
        for bad in [
            json!(0),
            json!(-1),
            json!(0.49),
            json!(-0.6),
            json!("2"),
            json!(null),
        ] {
            assert_eq!(
                array_partition(&[arr.clone(), bad]).unwrap_err(),
                "Invalid arguments in States.ArrayPartition"
            );
        }
        assert!(array_partition(&[json!("not-array"), json!(2)]).is_err());
    }

    #[test]
    fn contains_compares_string_forms() {
        assert_eq!(
            array_contains(&[json!([]), json!(null)]).unwrap(),
            json!(false)
        );
        assert_eq!(
            array_contains(&[json!([[1, 2, 3], 2]), json!([1, 2, 3])]).unwrap(),
            json!(true)
        );
        assert_eq!(
            array_contains(&[json!([{"1": 2, "2": []}]), json!([])]).unwrap(),
            json!(false)
        );
        assert_eq!(
            array_contains(&[json!([{"a": 1, "b": 2}]), json!({"b": 2, "a": 1})]).unwrap(),
            json!(false)
        );
        assert_eq!(
            array_contains(&[json!(["true"]), json!(true)]).unwrap(),
            json!(true)
        );
        assert_eq!(
            array_contains(&[json!([0, 1]), json!(false)]).unwrap(),
            json!(false)
        );
        assert!(array_contains(&[json!("not-array"), json!("x")]).is_err());
    }

    #[test]
    fn range_directions_and_limits() {
        assert_eq!(
            array_range(&[json!(5), json!(1), json!(-2)]).unwrap(),
            json!([5, 3, 1])
        );
        assert_eq!(
            array_range(&[json!(5), json!(1), json!(1)]).unwrap(),
            json!([])
        );
        assert_eq!(
            array_range(&[json!(3), json!(3), json!(-1)]).unwrap(),
            json!([3])
        );
        assert_eq!(
            array_range(&[json!(1.6), json!(1.4), json!(1)]).unwrap(),
            json!([1])
        );
        assert_eq!(
            array_range(&[json!(5.4), json!(-0.6), json!(-2.4)]).unwrap(),
            json!([5, 3, 1])
        );
        assert_eq!(
            array_range(&[json!(1), json!(1000), json!(1)])
                .unwrap()
                .as_array()
                .map(Vec::len),
            Some(1000)
        );
        assert!(array_range(&[json!(1), json!(1001), json!(1)]).is_err());
        assert!(array_range(&[json!(1001), json!(1), json!(-1)]).is_err());
        assert!(array_range(&[json!(1), json!(10), json!(0.49)]).is_err());
        assert!(array_range(&[json!("a"), json!(5), json!(1)]).is_err());
    }

    #[test]
    fn get_item_bounds() {
        let arr = json!([10, 20, 30]);
        assert_eq!(
            array_get_item(&[arr.clone(), json!(1.2)]).unwrap(),
            json!(20)
        );
        assert_eq!(
            array_get_item(&[json!([]), json!(999)]).unwrap(),
            json!(null)
        );
        assert!(array_get_item(&[arr.clone(), json!(3)]).is_err());
        assert!(array_get_item(&[arr.clone(), json!(-1)]).is_err());
        assert!(array_get_item(&[arr, json!("1")]).is_err());
    }

    #[test]
    fn unique_uses_structural_equality() {
        let input = json!([null, null, true, true, 1, 1, 1.1, "a", "a", [], [], {"a": 1, "b": 2}, {"b": 2, "a": 1}, {"a": 1, "b": 1}]);
        assert_eq!(
            array_unique(&[input]).unwrap(),
            json!([null, true, 1, 1.1, "a", [], {"a": 1, "b": 2}, {"a": 1, "b": 1}])
        );
    }
}
