"""Cases that come from outside the intake screen: KoboToolbox / ODK forms and SMS."""
