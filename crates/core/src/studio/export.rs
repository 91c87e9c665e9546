//! What the studio (and `aisle segment --customers`) hands over: each customer's segment as
//! CSV, and each segment's copy as CSV. The summary is [`super::segmenting::StudioSegments`] as
//! JSON. Text cells are written by the csv crate, so a comma, quote or newline in a product
//! title stays in its cell.
//!
//! ```
//! use aisle_core::serve::copy::{CopyTemplates, Featured};
//! use aisle_core::studio::export::{CopyRow, copy_csv};
//! let rows = [CopyRow { segment: "Champions".into(), featured: Featured::titled("Blue Mug"), variant: 0 }];
//! let csv = copy_csv(&rows, CopyTemplates::english()).unwrap();
//! assert!(csv.starts_with("segment,channel,headline,body\nChampions,banner,"));
//! ```

use crate::error::{Error, Result};
use crate::segmentation::customer_features::CustomerFeatures;
use crate::serve::copy::{Audience, Channel, CopyTemplates, Featured};

fn csv_error(error: impl std::fmt::Display) -> Error {
    Error::InvalidData {
        reason: format!("cannot write the CSV: {error}"),
    }
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<String> {
    let bytes = writer.into_inner().map_err(csv_error)?;
    String::from_utf8(bytes).map_err(csv_error)
}

/// One row per customer: id, segment name, then every feature of `table` in original units.
/// `labels[row]` indexes `segment_names`.
pub fn customers_csv(
    table: &CustomerFeatures,
    labels: &[usize],
    segment_names: &[String],
) -> Result<String> {
    if labels.len() != table.customers.len() {
        return Err(Error::InvalidData {
            reason: format!(
                "{} segment labels for {} customers",
                labels.len(),
                table.customers.len()
            ),
        });
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["customer", "segment"];
    header.extend(table.features.iter().map(|feature| feature.name));
    writer.write_record(&header).map_err(csv_error)?;
    for ((customer, &label), values) in table
        .customers
        .iter()
        .zip(labels)
        .zip(table.original.rows())
    {
        let name = segment_names.get(label).ok_or_else(|| Error::InvalidData {
            reason: format!("segment {label} has no name"),
        })?;
        let mut record = vec![customer.clone(), name.clone()];
        record.extend(values.iter().map(|value| value.to_string()));
        writer.write_record(&record).map_err(csv_error)?;
    }
    finish(writer)
}

/// The copy shown for one segment: its name, the product it features and the template variant
/// the marketer settled on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRow {
    /// Segment name.
    pub segment: String,
    /// What the copy features.
    pub featured: Featured,
    /// Template variant ([`CopyTemplates::write`]).
    pub variant: usize,
}

/// One row per segment and channel: segment, channel, headline, body, the copy written by
/// `templates` (the language the marketer reads the studio in). Segments and channels are
/// named as in the other exports, in English, so the files join.
pub fn copy_csv(rows: &[CopyRow], templates: &CopyTemplates) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(["segment", "channel", "headline", "body"])
        .map_err(csv_error)?;
    for row in rows {
        let audience = Audience::from_segment(&row.segment);
        for channel in Channel::ALL {
            let copy = templates.write(audience, channel, &row.featured, row.variant);
            writer
                .write_record([
                    row.segment.as_str(),
                    channel.key(),
                    &copy.headline,
                    &copy.body,
                ])
                .map_err(csv_error)?;
        }
    }
    finish(writer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::orders::OrderLine;

    #[test]
    fn customers_with_their_segment_and_features() {
        let lines = [
            OrderLine::purchase("a", "X", 0),
            OrderLine::purchase("b,c", "X", 0),
        ];
        let table = CustomerFeatures::from_orders(&lines, 0);
        let csv = customers_csv(&table, &[1, 0], &["Loyal".into(), "At risk".into()]).unwrap();
        assert_eq!(
            csv,
            "customer,segment,recency_days,frequency,monetary,distinct_items,mean_basket_value\n\
             a,At risk,0,1,1,1,1\n\"b,c\",Loyal,0,1,1,1,1\n"
        );
        assert!(customers_csv(&table, &[0], &["Loyal".into()]).is_err());
        assert!(customers_csv(&table, &[0, 5], &["Loyal".into()]).is_err());
    }

    #[test]
    fn four_channels_per_segment_and_variants_differ() {
        let row = |variant| CopyRow {
            segment: "At risk 2".into(),
            featured: Featured::titled("Mug, \"blue\""),
            variant,
        };
        let first = copy_csv(&[row(0)], CopyTemplates::english()).unwrap();
        assert_eq!(first.lines().count(), 1 + 4);
        assert!(first.contains("Mug, \"\"blue\"\""), "{first}");
        assert_ne!(
            first,
            copy_csv(&[row(1)], CopyTemplates::english()).unwrap()
        );
    }
}
