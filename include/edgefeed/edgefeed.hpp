// C++ wrapper: written by the book module
