"""Stage 2: text → normalized paragraphs → structured minutes records. No I/O, no Prefect."""
