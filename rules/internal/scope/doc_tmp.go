package scope
