//! The studio's conversation between the page and its Web Worker, as data: the page sends a
//! [`Request`], the worker answers with [`Reply`]s (progress, then one result or a failure).
//! [`Session`] is the worker's side, minus the browser: it keeps the cleaned data between
//! requests so that changing features, scaling or k does not re-read the file. The worker crate
//! only turns browser files into [`Files`] and messages into these types.
//!
//! ```
//! use aisle_core::studio::session::{Reply, Request, Session};
//! use aisle_core::input::missing::MissingValues;
//! let csv = b"order,sku,qty,when,price,client\n1,10001,2,2011-01-01 10:00:00,1.50,7\n".to_vec();
//! let files = vec![("shop.csv".to_owned(), csv)];
//! let mut session = Session::default();
//! let reply = session.handle(Request::Load { columns: None, missing: MissingValues::default() },
//!     &files[..], &mut |_| {});
//! assert!(matches!(reply, Reply::NeedsMapping { .. }));
//! ```

use std::io::Read;

use serde::{Deserialize, Serialize};

use super::columns::ColumnGuess;
use super::export::customers_csv;
use super::segmenting::{SegmentsInProgress, StudioSegments};
use super::{CleaningSummary, FeatureSummary, Input, Progress, Studio};
use crate::input::csv_file::read_header;
use crate::input::missing::MissingValues;
use crate::input::orders::ColumnMap;
use crate::segmentation::segments::SegmentRequest;
use crate::segmentation::sweep::KScore;

/// What the page asks the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// Read and clean the attached files. Without `columns`, an Online Retail header is read as
    /// it is and any other header is answered with [`Reply::NeedsMapping`].
    Load {
        /// Which column holds what, once the marketer has confirmed it.
        columns: Option<ColumnMap>,
        /// How to fill blanks.
        missing: MissingValues,
    },
    /// Segment the loaded customers.
    Segment(SegmentRequest),
    /// Each customer's segment, from the last segmentation, as CSV.
    ExportCustomers,
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// The worker has started and takes requests.
    Ready,
    /// A long request is under way.
    Progress(Progress),
    /// The header is not Online Retail's: the marketer should map the columns.
    NeedsMapping {
        /// The file whose header this is.
        file: String,
        /// Its column names.
        header: Vec<String>,
        /// A proposed mapping.
        guess: ColumnGuess,
    },
    /// The files are read and cleaned.
    Loaded {
        /// The cleaning report.
        cleaning: Box<CleaningSummary>,
        /// Each customer feature with its distribution.
        features: Vec<FeatureSummary>,
    },
    /// The segments.
    Segmented(Box<StudioSegments>),
    /// The customers CSV.
    CustomersCsv {
        /// The file's text.
        text: String,
    },
    /// The request failed; the message says what and where.
    Failed {
        /// For a person.
        message: String,
    },
}

/// Files the worker can read, any number of times (the header first, then the whole file).
pub trait Files {
    /// The files' names, in order.
    fn names(&self) -> Vec<String>;
    /// A file's size in bytes.
    fn size(&self, index: usize) -> u64;
    /// A reader over a file, from its start.
    fn open(&self, index: usize) -> Box<dyn Read + '_>;
}

impl Files for [(String, Vec<u8>)] {
    fn names(&self) -> Vec<String> {
        self.iter().map(|(name, _)| name.clone()).collect()
    }

    fn size(&self, index: usize) -> u64 {
        self[index].1.len() as u64
    }

    fn open(&self, index: usize) -> Box<dyn Read + '_> {
        Box::new(self[index].1.as_slice())
    }
}

/// The reply to a request that needs a file before any is loaded.
const NO_FILE_YET: &str = "no file is loaded yet: choose a file first";

/// The worker's state: the cleaned data and the last segmentation.
#[derive(Debug, Default)]
pub struct Session {
    studio: Option<Studio>,
    segments: Option<StudioSegments>,
}

impl Session {
    /// Answers one request; `files` are only read by [`Request::Load`].
    pub fn handle<F: Files + ?Sized>(
        &mut self,
        request: Request,
        files: &F,
        progress: &mut dyn FnMut(Progress),
    ) -> Reply {
        match request {
            Request::Load { columns, missing } => self.load(files, columns, &missing, progress),
            Request::Segment(request) => {
                let segments = match self.start_segments(&request, 0) {
                    Ok(segments) => segments,
                    Err(reply) => return *reply,
                };
                let sweep = segments.sweep_here(progress);
                self.finish_segments(segments, sweep, progress)
            }
            Request::ExportCustomers => {
                let (Some(studio), Some(segments)) = (&self.studio, &self.segments) else {
                    return failed("there are no segments to export yet");
                };
                let names: Vec<String> = segments
                    .segments
                    .iter()
                    .map(|card| card.name.clone())
                    .collect();
                match customers_csv(&studio.table, &segments.labels, &names) {
                    Ok(text) => Reply::CustomersCsv { text },
                    Err(error) => failed(error),
                }
            }
        }
    }

    /// A [`Request::Segment`] begun, with a share of its k sweep for each of `helpers` other
    /// workers; or the reply that ends it at once (no file loaded, a request the table
    /// refuses). [`Session::handle`] is this with no helpers, then
    /// [`SegmentsInProgress::sweep_here`] and [`Session::finish_segments`].
    pub fn start_segments(
        &self,
        request: &SegmentRequest,
        helpers: usize,
    ) -> Result<SegmentsInProgress, Box<Reply>> {
        let Some(studio) = &self.studio else {
            return Err(Box::new(failed(NO_FILE_YET)));
        };
        SegmentsInProgress::start(studio, request, helpers).map_err(|error| Box::new(failed(error)))
    }

    /// The reply to a [`Request::Segment`] from [`Session::start_segments`], given `sweep`,
    /// the scores of every k, swept here and by the helpers.
    pub fn finish_segments(
        &mut self,
        segments: SegmentsInProgress,
        sweep: crate::error::Result<Vec<KScore>>,
        progress: &mut dyn FnMut(Progress),
    ) -> Reply {
        let Some(studio) = &self.studio else {
            return failed(NO_FILE_YET);
        };
        match sweep.and_then(|sweep| segments.finish(studio, sweep, progress)) {
            Ok(segments) => {
                self.segments = Some(segments.clone());
                Reply::Segmented(Box::new(segments))
            }
            Err(error) => failed(error),
        }
    }

    /// The columns a [`Request::Load`] with `columns` reads `files` with: those given, else
    /// Online Retail's when the first file's header is theirs. Otherwise the reply the load
    /// gives at once, having read the header only: [`Reply::NeedsMapping`], or a failure.
    pub fn columns_of<F: Files + ?Sized>(
        files: &F,
        columns: Option<ColumnMap>,
    ) -> Result<ColumnMap, Box<Reply>> {
        let names = files.names();
        let Some(first) = names.first() else {
            return Err(Box::new(failed("no file was given")));
        };
        if let Some(columns) = columns {
            return Ok(columns);
        }
        let header = read_header(files.open(0), first).map_err(|error| Box::new(failed(error)))?;
        if !ColumnGuess::is_online_retail(&header) {
            return Err(Box::new(Reply::NeedsMapping {
                file: first.clone(),
                guess: ColumnGuess::from_header(&header),
                header,
            }));
        }
        Ok(ColumnMap::online_retail())
    }

    fn load<F: Files + ?Sized>(
        &mut self,
        files: &F,
        columns: Option<ColumnMap>,
        missing: &MissingValues,
        progress: &mut dyn FnMut(Progress),
    ) -> Reply {
        let columns = match Self::columns_of(files, columns) {
            Ok(columns) => columns,
            Err(reply) => return *reply,
        };
        let names = files.names();
        // A new file replaces the old one: nothing of the previous data may leak into exports.
        self.studio = None;
        self.segments = None;
        let inputs = names
            .into_iter()
            .enumerate()
            .map(|(index, name)| Input {
                name,
                size: files.size(index),
                reader: files.open(index),
            })
            .collect();
        match Studio::read(inputs, &columns, missing, progress) {
            Ok(studio) => {
                let reply = Reply::Loaded {
                    cleaning: Box::new(studio.cleaning.clone()),
                    features: studio.features(),
                };
                self.studio = Some(studio);
                reply
            }
            Err(error) => failed(error),
        }
    }
}

fn failed(message: impl std::fmt::Display) -> Reply {
    Reply::Failed {
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::missing::Fill;
    use crate::segmentation::sweep::SweepShare;
    use crate::studio::Stage;

    const MAPPED: &str = "order,sku,name,qty,when,price,client\n";

    fn shop_file() -> Vec<(String, Vec<u8>)> {
        let mut csv = String::from(MAPPED);
        for customer in 0..12 {
            let quantity = if customer < 6 { 40 } else { 1 };
            let month = if customer < 6 { 11 } else { 2 };
            csv += &format!(
                "{customer},10001,Blue mug,{quantity},2011-{month:02}-01 10:00:00,2.00,{customer}\n"
            );
            csv += &format!("{customer}b,10002,Jug,,2011-{month:02}-02 10:00:00,2.00,{customer}\n");
        }
        vec![("shop.csv".to_owned(), csv.into_bytes())]
    }

    #[test]
    fn a_sweep_shared_with_helpers_gives_the_same_segments() {
        let mut csv = String::from(
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n",
        );
        for row in 0..600 {
            let customer = row % 90;
            let quantity = customer % 7 * (customer % 5) + 1;
            let day = (row * 13 + customer * customer) % 28 + 1;
            let month = customer % 12 + 1;
            csv += &format!(
                "{row},{},MUG,{quantity},2011-{month:02}-{day:02} 10:00:00,2.50,{customer}\n",
                20_000 + row % 17
            );
        }
        let files = [("orders.csv".to_owned(), csv.into_bytes())];
        let mut session = Session::default();
        let load = Request::Load {
            columns: None,
            missing: MissingValues::default(),
        };
        assert!(matches!(
            session.handle(load, &files[..], &mut |_| {}),
            Reply::Loaded { .. }
        ));
        let request = SegmentRequest::default();
        let alone = session.handle(Request::Segment(request.clone()), &files[..], &mut |_| {});
        for helpers in [1, 2] {
            let segments = session.start_segments(&request, helpers).unwrap();
            assert_eq!(segments.shares.len(), helpers);
            let mut heard = Vec::new();
            let mut sweep = segments
                .sweep_here(&mut |progress| heard.push(progress))
                .unwrap();
            assert_eq!(heard.len(), sweep.len(), "each k swept here is heard");
            // Each share goes to its worker as bytes, as the studio's worker sends it.
            for share in &segments.shares {
                let sent = SweepShare::from_bytes(&share.to_bytes()).unwrap();
                sweep.extend(sent.sweep().unwrap());
            }
            assert_eq!(sweep.len(), 9);
            let shared = session.finish_segments(segments, Ok(sweep), &mut |_| {});
            assert_eq!(shared, alone, "{helpers} helpers");
        }
        // A sweep that misses a k is refused, not finished.
        let segments = session.start_segments(&request, 1).unwrap();
        let sweep = segments.sweep_here(&mut |_| {});
        let missing = session.finish_segments(segments, sweep, &mut |_| {});
        assert!(matches!(missing, Reply::Failed { message } if message.contains("k =")));
        // And so is one that scores a k twice.
        let segments = session.start_segments(&request, 0).unwrap();
        let mut sweep = segments.sweep_here(&mut |_| {}).unwrap();
        sweep.push(sweep[0]);
        let twice = session.finish_segments(segments, Ok(sweep), &mut |_| {});
        assert!(matches!(twice, Reply::Failed { message } if message.contains("k =")));
    }

    #[test]
    fn a_whole_conversation() {
        let files = shop_file();
        let mut session = Session::default();
        let load = |columns| Request::Load {
            columns,
            missing: MissingValues {
                quantity: Fill::Median,
                ..MissingValues::default()
            },
        };
        // Segmenting before loading is refused with a reason.
        let early = session.handle(
            Request::Segment(SegmentRequest::default()),
            &files[..],
            &mut |_| {},
        );
        assert!(matches!(early, Reply::Failed { .. }));

        let Reply::NeedsMapping { guess, header, .. } =
            session.handle(load(None), &files[..], &mut |_| {})
        else {
            panic!("a non-Online-Retail header needs mapping");
        };
        assert_eq!(header.len(), 7);
        let mut guess = guess;
        guess.timestamp = Some("when".into());
        guess.customer = Some("client".into());
        let columns = guess
            .to_column_map()
            .expect("complete after the marketer's choices");

        let Reply::Loaded { cleaning, features } =
            session.handle(load(Some(columns)), &files[..], &mut |_| {})
        else {
            panic!("the mapped file loads");
        };
        assert_eq!(cleaning.read.rows_incomplete, 12);
        assert_eq!(cleaning.missing.rows_filled, 12);
        assert_eq!(cleaning.customers, 12);
        assert_eq!(features.len(), 5);

        let Reply::Segmented(segments) = session.handle(
            Request::Segment(SegmentRequest::default()),
            &files[..],
            &mut |_| {},
        ) else {
            panic!("segments");
        };
        assert!(crate::segmentation::segments::SUGGESTED_K.contains(&segments.k));
        let Reply::CustomersCsv { text } =
            session.handle(Request::ExportCustomers, &files[..], &mut |_| {})
        else {
            panic!("export");
        };
        assert_eq!(text.lines().count(), 13);

        // The reply survives the trip through JSON that the worker makes it take.
        let json = serde_json::to_string(&Reply::Segmented(segments.clone())).unwrap();
        let Reply::Segmented(back) = serde_json::from_str(&json).unwrap() else {
            panic!("round trip");
        };
        assert_eq!(back.segments, segments.segments);
    }

    /// A file whose readers count the bytes they give.
    struct Counted {
        bytes: Vec<u8>,
        given: std::cell::Cell<usize>,
    }

    impl Files for Counted {
        fn names(&self) -> Vec<String> {
            vec!["shop.csv".to_owned()]
        }

        fn size(&self, _: usize) -> u64 {
            self.bytes.len() as u64
        }

        fn open(&self, _: usize) -> Box<dyn Read + '_> {
            struct Counting<'a>(&'a [u8], &'a std::cell::Cell<usize>);
            impl Read for Counting<'_> {
                fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                    let count = self.0.read(out)?;
                    self.1.set(self.1.get() + count);
                    Ok(count)
                }
            }
            Box::new(Counting(&self.bytes, &self.given))
        }
    }

    #[test]
    fn a_file_to_map_is_answered_from_its_first_bytes() {
        let mut csv = String::from(MAPPED);
        while csv.len() < 4 << 20 {
            csv += "1,10001,Blue mug,2,2011-01-01 10:00:00,2.00,7\n";
        }
        let file = Counted {
            bytes: csv.into_bytes(),
            given: Default::default(),
        };
        let Err(reply) = Session::columns_of(&file, None) else {
            panic!("a header other than Online Retail's needs mapping");
        };
        let Reply::NeedsMapping { header, .. } = *reply else {
            panic!("{reply:?}");
        };
        assert_eq!(header.len(), 7);
        assert!(
            file.given.get() <= 1 << 16,
            "{} bytes read",
            file.given.get()
        );
        let given = Session::columns_of(&file, Some(ColumnMap::online_retail()));
        assert_eq!(given, Ok(ColumnMap::online_retail()));
    }

    #[test]
    fn broken_files_fail_with_the_file_named() {
        let files = [(
            "broken.csv".to_owned(),
            b"just one column\n\"unterminated".to_vec(),
        )];
        let mut session = Session::default();
        let reply = session.handle(
            Request::Load {
                columns: Some(ColumnMap::online_retail()),
                missing: MissingValues::default(),
            },
            &files[..],
            &mut |_| {},
        );
        let Reply::Failed { message } = reply else {
            panic!("a file without the columns fails");
        };
        assert!(message.starts_with("broken.csv: line 1:"), "{message}");
    }

    #[test]
    fn reading_reports_progress_by_bytes() {
        let mut csv = String::from(
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n",
        );
        while csv.len() < 3 << 20 {
            csv += "1,10001,MUG,2,2011-01-01 10:00:00,1.50,7\n";
        }
        let files = [("big.csv".to_owned(), csv.into_bytes())];
        let mut heard = Vec::new();
        Session::default().handle(
            Request::Load {
                columns: None,
                missing: MissingValues::default(),
            },
            &files[..],
            &mut |progress| heard.push(progress),
        );
        let reading: Vec<f64> = heard
            .iter()
            .filter(|progress| {
                progress.stage
                    == Stage::Reading {
                        file: "big.csv".into(),
                    }
            })
            .map(|progress| progress.done)
            .collect();
        assert!(reading.len() >= 2, "{heard:?}");
        assert!(reading.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
