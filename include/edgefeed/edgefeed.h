/* edgefeed consumer C ABI: written by the book module */
