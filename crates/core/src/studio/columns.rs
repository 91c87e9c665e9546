//! Recognising which column of a marketer's export holds what. The Online Retail header is
//! taken as it is; any other header gets a guess from common export names (`sku`, `qty`,
//! `order_date`, ...) that the marketer confirms or corrects in the mapping step.
//!
//! ```
//! use aisle_core::studio::columns::ColumnGuess;
//! let header = ["order_id", "sku", "qty", "created_at", "price", "user_id"].map(String::from);
//! let guess = ColumnGuess::from_header(&header);
//! assert_eq!(guess.item.as_deref(), Some("sku"));
//! assert!(guess.to_column_map().is_some());
//! ```

use serde::{Deserialize, Serialize};

use crate::input::csv_file::comparable_name;
use crate::input::fields::{DateOrder, NumberFormat};
use crate::input::orders::ColumnMap;

/// Header names (as [`comparable_name`] writes them) that usually mean each field, most
/// specific first.
const INVOICE: &[&str] = &[
    "invoiceno",
    "invoice",
    "invoiceid",
    "orderid",
    "ordernumber",
    "orderno",
    "order",
    "transactionid",
    "receiptid",
    "basketid",
];
const ITEM: &[&str] = &[
    "stockcode",
    "sku",
    "productid",
    "productcode",
    "itemid",
    "itemcode",
    "articleid",
    "product",
    "item",
];
const DESCRIPTION: &[&str] = &[
    "description",
    "productname",
    "itemname",
    "producttitle",
    "title",
    "name",
];
const QUANTITY: &[&str] = &["quantity", "qty", "units", "unitssold", "amount", "count"];
const TIMESTAMP: &[&str] = &[
    "invoicedate",
    "orderdate",
    "purchasedate",
    "timestamp",
    "datetime",
    "createdat",
    "date",
    "time",
];
const UNIT_PRICE: &[&str] = &["unitprice", "price", "priceeach", "itemprice", "unitcost"];
const CUSTOMER: &[&str] = &[
    "customerid",
    "customer",
    "clientid",
    "client",
    "userid",
    "buyerid",
    "memberid",
    "accountid",
    "user",
];

/// A proposed mapping: for each field, the header name that seems to hold it, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnGuess {
    /// Order (invoice) number.
    pub invoice: Option<String>,
    /// Product code.
    pub item: Option<String>,
    /// Product description (optional).
    pub description: Option<String>,
    /// Quantity.
    pub quantity: Option<String>,
    /// Order timestamp.
    pub timestamp: Option<String>,
    /// Unit price.
    pub unit_price: Option<String>,
    /// Customer id.
    pub customer: Option<String>,
    /// How prices are written: worked out from each value unless the marketer says.
    #[serde(default)]
    pub number_format: NumberFormat,
    /// How slash dates are written: decided from the file's dates unless the marketer says.
    #[serde(default)]
    pub date_order: DateOrder,
}

impl ColumnGuess {
    /// Guesses each field from `header`; a header name is given to one field at most.
    pub fn from_header(header: &[String]) -> Self {
        let names: Vec<String> = header.iter().map(|name| comparable_name(name)).collect();
        let mut taken = vec![false; header.len()];
        let mut pick = |synonyms: &[&str]| {
            let position = synonyms.iter().find_map(|wanted| {
                names
                    .iter()
                    .enumerate()
                    .position(|(index, name)| !taken[index] && name == wanted)
            })?;
            taken[position] = true;
            Some(header[position].clone())
        };
        // The distinctive fields first, so `date` is not taken by a looser match.
        let item = pick(ITEM);
        let customer = pick(CUSTOMER);
        let invoice = pick(INVOICE);
        let quantity = pick(QUANTITY);
        let unit_price = pick(UNIT_PRICE);
        let timestamp = pick(TIMESTAMP);
        let description = pick(DESCRIPTION);
        Self {
            invoice,
            item,
            description,
            quantity,
            timestamp,
            unit_price,
            customer,
            number_format: NumberFormat::Auto,
            date_order: DateOrder::Auto,
        }
    }

    /// True when `header` has every Online Retail column: it needs no mapping step.
    pub fn is_online_retail(header: &[String]) -> bool {
        let names: Vec<String> = header.iter().map(|name| comparable_name(name)).collect();
        let wanted = ColumnMap::online_retail();
        [
            &wanted.invoice,
            &wanted.item,
            &wanted.quantity,
            &wanted.timestamp,
            &wanted.unit_price,
            &wanted.customer,
        ]
        .into_iter()
        .all(|column| names.contains(&comparable_name(column)))
    }

    /// The mapping, when every required field has a column (the description may be absent).
    pub fn to_column_map(&self) -> Option<ColumnMap> {
        Some(ColumnMap {
            invoice: self.invoice.clone()?,
            item: self.item.clone()?,
            // A name no header has: the reader then leaves descriptions empty.
            description: self.description.clone().unwrap_or_default(),
            quantity: self.quantity.clone()?,
            timestamp: self.timestamp.clone()?,
            unit_price: self.unit_price.clone()?,
            customer: self.customer.clone()?,
            number_format: self.number_format,
            date_order: self.date_order,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn online_retail_is_recognised_and_guessed_exactly() {
        let names = header(&[
            "InvoiceNo",
            "StockCode",
            "Description",
            "Quantity",
            "InvoiceDate",
            "UnitPrice",
            "CustomerID",
            "Country",
        ]);
        assert!(ColumnGuess::is_online_retail(&names));
        assert_eq!(
            ColumnGuess::from_header(&names).to_column_map(),
            Some(ColumnMap::online_retail())
        );
    }

    #[test]
    fn the_marketers_number_format_and_date_order_reach_the_reader() {
        let names = header(&["order", "sku", "qty", "date", "price", "customer"]);
        let guess = ColumnGuess {
            number_format: NumberFormat::DecimalComma,
            date_order: DateOrder::DayFirst,
            ..ColumnGuess::from_header(&names)
        };
        let columns = guess.to_column_map().unwrap();
        assert_eq!(columns.number_format, NumberFormat::DecimalComma);
        assert_eq!(columns.date_order, DateOrder::DayFirst);
        assert_eq!(
            ColumnGuess::from_header(&names)
                .to_column_map()
                .unwrap()
                .number_format,
            NumberFormat::Auto
        );
    }

    #[test]
    fn another_export_is_guessed_and_gaps_are_left_open() {
        let names = header(&[
            "Order ID",
            "Product Name",
            "SKU",
            "Qty",
            "Order Date",
            "Price",
        ]);
        assert!(!ColumnGuess::is_online_retail(&names));
        let guess = ColumnGuess::from_header(&names);
        assert_eq!(guess.invoice.as_deref(), Some("Order ID"));
        assert_eq!(guess.description.as_deref(), Some("Product Name"));
        assert_eq!(guess.timestamp.as_deref(), Some("Order Date"));
        assert_eq!(guess.customer, None);
        assert_eq!(guess.to_column_map(), None);
    }
}
