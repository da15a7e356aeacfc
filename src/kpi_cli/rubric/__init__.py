"""Rubrics: one appraisal form as a YAML file, read strictly, modelled, checked and indexed."""
