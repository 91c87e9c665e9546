//! Hash routes: `#/`, `#/category/<name>`, `#/product/<id>`, `#/search/<query>`, `#/cart` and
//! `#/privacy`.
//!
//! The store is static files on any host, often under a sub-path, and a plain static server
//! answers 404 for a path it has no file for. Keeping the route in the URL's fragment means every
//! deep link loads `index.html` and works anywhere, with no server rewrite rules.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Characters left as they are in a product id or query inside a route; the rest are
/// percent-encoded.
const ID_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A page of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The front page: recommendations and the product grid.
    Home,
    /// The front page with the grid narrowed to one category, by name.
    Category(String),
    /// One product's page, by product id.
    Product(String),
    /// Search results for a query.
    Search(String),
    /// The cart and checkout.
    Cart,
    /// What the store keeps about the shopper, with export and wipe.
    Privacy,
    /// Anything else, kept to tell the shopper what was not found.
    NotFound(String),
}

impl Route {
    /// Reads a route from `location.hash` (with or without the leading `#`).
    pub fn from_hash(hash: &str) -> Self {
        let path = hash.trim_start_matches('#');
        let path = path.strip_prefix('/').unwrap_or(path);
        let decoded = |text: &str| {
            percent_decode_str(text)
                .decode_utf8()
                .ok()
                .map(|text| text.into_owned())
        };
        let route = match path.split_once('/') {
            None if path.is_empty() => Some(Route::Home),
            None if path == "cart" => Some(Route::Cart),
            None if path == "privacy" => Some(Route::Privacy),
            Some(("product", id)) if !id.is_empty() && !id.contains('/') => {
                decoded(id).map(Route::Product)
            }
            Some(("search", query)) if !query.contains('/') => decoded(query).map(Route::Search),
            Some(("category", name)) if !name.is_empty() && !name.contains('/') => {
                decoded(name).map(Route::Category)
            }
            _ => None,
        };
        route.unwrap_or_else(|| Route::NotFound(hash.to_owned()))
    }

    /// The link to this route, relative to the current page, so it works under any sub-path.
    pub fn href(&self) -> String {
        match self {
            Route::Home | Route::NotFound(_) => "#/".to_owned(),
            Route::Product(id) => format!("#/product/{}", utf8_percent_encode(id, ID_ESCAPES)),
            Route::Search(query) => format!("#/search/{}", utf8_percent_encode(query, ID_ESCAPES)),
            Route::Category(name) => {
                format!("#/category/{}", utf8_percent_encode(name, ID_ESCAPES))
            }
            Route::Cart => "#/cart".to_owned(),
            Route::Privacy => "#/privacy".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_accepts_every_empty_form() {
        for hash in ["", "#", "#/"] {
            assert_eq!(Route::from_hash(hash), Route::Home, "{hash:?}");
        }
    }

    #[test]
    fn product_routes_round_trip_any_id() {
        for id in ["85123A", "15056BL", "a b/c?d#e", "café"] {
            let route = Route::Product(id.to_owned());
            assert_eq!(Route::from_hash(&route.href()), route, "{id}");
        }
        assert_eq!(Route::Product("85123A".into()).href(), "#/product/85123A");
    }

    #[test]
    fn other_pages_round_trip() {
        for route in [
            Route::Cart,
            Route::Privacy,
            Route::Search("red lantern".into()),
            Route::Search("a/b".into()),
            Route::Category("Kitchen & dining".into()),
            Route::Search(String::new()),
        ] {
            assert_eq!(Route::from_hash(&route.href()), route, "{route:?}");
        }
        assert_eq!(
            Route::Search("red lantern".into()).href(),
            "#/search/red%20lantern"
        );
    }

    #[test]
    fn anything_else_is_not_found() {
        for hash in [
            "#/product/",
            "#/product/a/b",
            "#/nowhere",
            "#/product/%FF",
            "#/cart/x",
            "#/category/",
        ] {
            assert_eq!(
                Route::from_hash(hash),
                Route::NotFound(hash.to_owned()),
                "{hash}"
            );
        }
    }
}
